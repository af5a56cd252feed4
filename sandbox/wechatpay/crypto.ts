import { createCipheriv, createPublicKey, createSign, createVerify, randomUUID, type KeyObject } from 'node:crypto';
import { randomBase62, type WechatpaySandboxKeys } from './keys.ts';
import type { Platform } from './platform.ts';

/**
 * The gateway's side of API v3 signatures (docs/protocols/wechatpay.md#response-verification), written apart from
 * mallpay's adapter so the two check each other; wechatpay-axios-plugin checks both in the tests.
 */
const lines = (...pieces: string[]) => pieces.map((p) => `${p}\n`).join('');

export const MAX_SKEW_SECONDS = 300;

export interface GatewayCrypto {
  /**
   * `Wechatpay-*` headers over `timestamp\nnonce\nbody\n`, signed by the platform key or certificate the
   * merchant's state picks (platform.ts): for an answer, the one the request's `Wechatpay-Serial` names.
   */
  signedHeaders(
    body: string,
    now: Date,
    opts?: { signature?: string; requestSerial?: string | null; notification?: boolean },
  ): Record<string, string>;
  verifyRequest(
    req: { method: string; pathAndQuery: string; authorization: string | null; body: string },
    now: Date,
  ): AuthCheck;
  /** AEAD_AES_256_GCM with a fresh 12-character nonce (docs/protocols/wechatpay.md#notification-decryption). */
  encrypt(plaintext: string, associatedData: string): { ciphertext: string; nonce: string };
}

export type AuthCheck = { ok: true; mchId: string } | { ok: false; message: string };

/** `WECHATPAY2-SHA256-RSA2048 k="v",…` in any item order. */
export function parseAuthorization(header: string): Record<string, string> | null {
  const m = /^WECHATPAY2-SHA256-RSA2048\s+(.+)$/.exec(header.trim());
  if (!m) return null;
  const items: Record<string, string> = {};
  for (const part of m[1]!.matchAll(/\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/g)) items[part[1]!] = part[2]!;
  return items;
}

export function createGatewayCrypto(
  keys: WechatpaySandboxKeys,
  platform: Pick<Platform, 'responseSigner' | 'notificationSigner'>,
): GatewayCrypto {
  // Merchants by mchid + certificate serial: one merchant here, the shape allows more.
  const merchants = new Map<string, KeyObject>([
    [`${keys.mchId}:${keys.merchantCertSerial}`, createPublicKey(keys.merchantPublicKey)],
  ]);

  return {
    signedHeaders(body, now, opts = {}) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const nonce = randomBase62(32);
      const signer = opts.notification
        ? platform.notificationSigner()
        : platform.responseSigner(opts.requestSerial ?? null);
      return {
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature':
          opts.signature ??
          createSign('RSA-SHA256')
            .update(lines(timestamp, nonce, body))
            .sign(signer.key, 'base64'),
        'Wechatpay-Serial': signer.serial,
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
        'Request-ID': randomUUID(),
      };
    },
    verifyRequest(req, now) {
      const items = req.authorization ? parseAuthorization(req.authorization) : null;
      if (!items) return { ok: false, message: 'Authorization 头缺失或格式错误 (missing or malformed Authorization)' };
      const { mchid, nonce_str: nonce, timestamp, serial_no: serial, signature } = items;
      if (!mchid || !nonce || !timestamp || !serial || !signature)
        return { ok: false, message: 'Authorization 缺少参数 (incomplete Authorization)' };
      if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
        return { ok: false, message: '请求时间戳与当前时间相差超过 5 分钟 (timestamp more than 5 minutes from now)' };
      }
      const key = merchants.get(`${mchid}:${serial}`);
      if (!key) return { ok: false, message: '商户证书序列号有误 (unknown mchid/serial_no)' };
      let valid = false;
      try {
        valid = createVerify('RSA-SHA256')
          .update(lines(req.method, req.pathAndQuery, timestamp, nonce, req.body))
          .verify(key, signature, 'base64');
      } catch {
        valid = false;
      }
      return valid ? { ok: true, mchId: mchid } : { ok: false, message: '签名错误 (signature does not verify)' };
    },
    encrypt(plaintext, associatedData) {
      const nonce = randomBase62(12);
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(keys.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return { ciphertext: ct.toString('base64'), nonce };
    },
  };
}
