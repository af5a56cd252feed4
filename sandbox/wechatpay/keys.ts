import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

/** What the sandbox's "merchant platform" issued, generated on first start and kept in sandbox_keys. */
export interface WechatpaySandboxKeys {
  mchId: string;
  appId: string;
  /** 32 ASCII bytes: AES-256-GCM takes it as is (docs/protocols/wechatpay.md#notification-decryption). */
  apiV3Key: string;
  merchantPrivateKey: string;
  merchantPublicKey: string;
  /** The merchant API certificate's serial (40 hex): Authorization `serial_no`. */
  merchantCertSerial: string;
  platformPrivateKey: string;
  platformPublicKey: string;
  /**
   * Public-key mode id (`PUB_KEY_ID_` + 34 digits), the only mode for new merchants
   * (docs/protocols/wechatpay.md#key-modes).
   */
  platformKeyId: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const randomBase62 = (n: number) => Array.from(randomBytes(n), (b) => BASE62[b % 62]).join('');
export const randomDigits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export function generateWechatpayKeys(): WechatpaySandboxKeys {
  const rsa = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const merchant = rsa();
  const platform = rsa();
  const mchId = `19${randomDigits(8)}`;
  return {
    mchId,
    appId: `wx${randomBytes(8).toString('hex')}`,
    apiV3Key: randomBase62(32),
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
    merchantCertSerial: randomBytes(20).toString('hex').toUpperCase(),
    platformPrivateKey: platform.privateKey,
    platformPublicKey: platform.publicKey,
    // PUB_KEY_ID_ + 34 digits: "01", the mchid, the issue date, 14 more (real IDs in public SDK configs,
    // e.g. PUB_KEY_ID_0117288133772025100200181886000802 for mchid 1728813377).
    platformKeyId: `PUB_KEY_ID_01${mchId}${new Date().toISOString().slice(0, 10).replace(/-/g, '')}${randomDigits(14)}`,
  };
}
