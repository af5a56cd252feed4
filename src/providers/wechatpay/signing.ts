import {
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

/**
 * WeChat Pay API v3 signatures (docs/protocols/wechatpay.md#request-signature): SHA256withRSA (PKCS#1 v1.5) over lines
 * that each end in `\n`, so an empty body still contributes its own line break.
 */
export const SIGNATURE_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/**
 * A probe signature WeChat sends on purpose to check that the merchant verifies
 * (docs/protocols/wechatpay.md#signature-probe).
 */
export const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/**
 * Responses and notifications older or newer than this are refused (docs/protocols/wechatpay.md#response-verification).
 */
export const MAX_SKEW_MS = 5 * 60_000;

export function lines(...pieces: string[]): string {
  return pieces.map((p) => `${p}\n`).join('');
}

export function nonceStr(length = 32): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

export interface RequestSigner {
  /** The Authorization header for one request; `body` is exactly the bytes that will be sent. */
  authorization(method: string, pathAndQuery: string, body: string, now: Date): string;
}

export function createRequestSigner(mchId: string, certSerial: string, privateKeyPem: string): RequestSigner {
  const key = createPrivateKey(privateKeyPem);
  return {
    authorization(method, pathAndQuery, body, now) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const nonce = nonceStr();
      const signature = createSign('RSA-SHA256')
        .update(lines(method, pathAndQuery, timestamp, nonce, body))
        .sign(key, 'base64');
      return `${SIGNATURE_SCHEME} mchid="${mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${certSerial}"`;
    },
  };
}

/**
 * The platform's verification keys by serial: a `PUB_KEY_ID_…` public key and/or 40-hex certificate serials. During a
 * key migration WeChat signs with either, so the ring holds every key still in use
 * (docs/protocols/wechatpay.md#key-modes); a certificate past its end (or its `expire_time` from GET /v3/certificates)
 * verifies nothing.
 */
export class PlatformKeyRing {
  private readonly keys = new Map<string, { key: KeyObject; until: number; cert: boolean }>();
  private publicKeyId: string | null = null;
  constructor(private readonly now: () => Date = () => new Date()) {}
  /** The `PUB_KEY_ID_…` public key (public key mode). */
  add(serial: string, publicKeyOrCertPem: string): this {
    this.keys.set(serial, { key: createPublicKey(publicKeyOrCertPem), until: Infinity, cert: false });
    this.publicKeyId ??= serial;
    return this;
  }
  /** A platform certificate under its own serial; `expireAt` (WeChat's retirement) shortens its validity. */
  addCertificate(pem: string, expireAt?: Date): string {
    const x = new X509Certificate(pem);
    const until = Math.min(new Date(x.validTo).getTime(), expireAt?.getTime() ?? Infinity);
    this.keys.set(x.serialNumber.toUpperCase(), { key: x.publicKey, until, cert: true });
    return x.serialNumber.toUpperCase();
  }
  has(serial: string): boolean {
    return this.get(serial) !== undefined;
  }
  get(serial: string): KeyObject | undefined {
    const k = this.keys.get(serial) ?? this.keys.get(serial.toUpperCase());
    return k && k.until > this.now().getTime() ? k.key : undefined;
  }
  /**
   * What every request names in `Wechatpay-Serial`: the public key when there is one (a migrating merchant
   * asks to be answered with it), else the certificate valid longest (the download doc's advice for encryption).
   */
  preferredSerial(): string | null {
    if (this.publicKeyId) return this.publicKeyId;
    let best: [string, number] | null = null;
    for (const [serial, k] of this.keys)
      if (k.cert && k.until > this.now().getTime() && (!best || k.until > best[1])) best = [serial, k.until];
    return best?.[0] ?? null;
  }
  /** The earliest end among live certificates (refresh before it), null when there are none. */
  nextCertificateEnd(): number | null {
    const ends = [...this.keys.values()].filter((k) => k.cert && k.until > this.now().getTime()).map((k) => k.until);
    return ends.length ? Math.min(...ends) : null;
  }
}

export interface SignedHeaders {
  timestamp: string | null;
  nonce: string | null;
  signature: string | null;
  serial: string | null;
}

export function signedHeaders(headers: Headers): SignedHeaders {
  return {
    timestamp: headers.get('wechatpay-timestamp'),
    nonce: headers.get('wechatpay-nonce'),
    signature: headers.get('wechatpay-signature'),
    serial: headers.get('wechatpay-serial'),
  };
}

export type Verification =
  { ok: true; timestamp: number } | { ok: false; why: 'incomplete' | 'unknown_serial' | 'probe' | 'signature' };

/** Checks `Wechatpay-*` headers over `timestamp\nnonce\nbody\n`; the freshness check is the caller's. */
export function verifySignedMessage(ring: PlatformKeyRing, h: SignedHeaders, rawBody: string): Verification {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial || !/^\d{1,12}$/.test(h.timestamp))
    return { ok: false, why: 'incomplete' };
  // A probe never verifies; naming it lets the admin list tell WeChat's check from an attack.
  if (h.signature.startsWith(PROBE_PREFIX)) return { ok: false, why: 'probe' };
  const key = ring.get(h.serial);
  if (!key) return { ok: false, why: 'unknown_serial' };
  let valid = false;
  try {
    valid = createVerify('RSA-SHA256')
      .update(lines(h.timestamp, h.nonce, rawBody))
      .verify(key, h.signature, 'base64');
  } catch {
    valid = false;
  }
  return valid ? { ok: true, timestamp: Number(h.timestamp) } : { ok: false, why: 'signature' };
}

export function isFresh(timestampSeconds: number, now: Date): boolean {
  return Math.abs(now.getTime() - timestampSeconds * 1000) < MAX_SKEW_MS;
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/**
 * AEAD_AES_256_GCM with the APIv3 key as 32 ASCII bytes; ciphertext = base64(ct ‖ 16-byte tag)
 * (docs/protocols/wechatpay.md#notification-decryption). Null when it does not open.
 */
export function decryptResource(apiV3Key: string, r: EncryptedResource): string | null {
  try {
    if (r.algorithm !== 'AEAD_AES_256_GCM') return null;
    const data = Buffer.from(r.ciphertext, 'base64');
    if (data.length <= 16) return null;
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
