import { createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { parseObject, type ApiClient } from './client.ts';
import {
  decryptResource,
  isFresh,
  lines,
  PROBE_PREFIX,
  signedHeaders,
  type EncryptedResource,
  type PlatformKeyRing,
} from './signing.ts';

/** WeChat's advice for the download: at least every 12 hours (下载平台证书, 最佳实践). */
export const CERT_REFRESH_MS = 12 * 3600_000;
/** A serial never seen may be a rotation: ask again, but not more than once a minute whatever a forger sends. */
export const UNKNOWN_SERIAL_RETRY_MS = 60_000;

export type CertificateFetch =
  | { kind: 'ok'; serials: string[] }
  /** A public-key-only merchant: 404 RESOURCE_NOT_EXISTS "无可用的平台证书…" (wechatpay-java#306). */
  | { kind: 'none' }
  | { kind: 'failed'; reason: string };

/**
 * Platform certificate mode: GET /v3/certificates, each `encrypt_certificate` opened with the APIv3 key, the
 * answer itself verified before anything is kept, with a certificate we already hold or, bootstrapping,
 * with one it contains, as wechatpay-go's downloader does (core/downloader: decrypt, then validate the
 * response with the downloaded certificates). Only WeChat and we know the APIv3 key, so a certificate that
 * opened is WeChat's.
 */
export function createCertificateDownloader(deps: {
  api: ApiClient;
  apiV3Key: string;
  ring: PlatformKeyRing;
  clock: Clock;
  log: Logger;
}) {
  const { api, ring, clock, log } = deps;
  let lastAttempt = -Infinity;
  let inflight: Promise<CertificateFetch> | null = null;

  async function fetchOnce(): Promise<CertificateFetch> {
    lastAttempt = clock.now().getTime();
    const res = await api.getRaw('/v3/certificates');
    if (!res.ok) return { kind: 'failed', reason: res.reason };
    const body = parseObject(res.raw);
    if (res.status === 404 && body?.code === 'RESOURCE_NOT_EXISTS') return { kind: 'none' };
    if (res.status !== 200 || !Array.isArray(body?.data)) return { kind: 'failed', reason: `http_${res.status}` };
    const found = new Map<string, { pem: string; expireAt: Date | undefined; key: KeyObject }>();
    for (const item of body.data as Record<string, unknown>[]) {
      const enc = item?.encrypt_certificate as Partial<EncryptedResource> | undefined;
      if (typeof item?.serial_no !== 'string' || typeof enc?.ciphertext !== 'string' || typeof enc.nonce !== 'string')
        return { kind: 'failed', reason: 'malformed_certificates' };
      const pem = decryptResource(deps.apiV3Key, {
        algorithm: String(enc.algorithm),
        ciphertext: enc.ciphertext,
        nonce: enc.nonce,
        associated_data: typeof enc.associated_data === 'string' ? enc.associated_data : '',
      });
      if (pem === null) return { kind: 'failed', reason: 'certificate_not_decrypted' };
      let x: X509Certificate;
      try {
        x = new X509Certificate(pem);
      } catch {
        return { kind: 'failed', reason: 'malformed_certificates' };
      }
      if (x.serialNumber.toUpperCase() !== item.serial_no.toUpperCase())
        return { kind: 'failed', reason: 'certificate_serial_mismatch' };
      const expire = typeof item.expire_time === 'string' ? new Date(item.expire_time) : undefined;
      found.set(item.serial_no.toUpperCase(), {
        pem,
        expireAt: expire && !Number.isNaN(expire.getTime()) ? expire : undefined,
        key: x.publicKey,
      });
    }
    const h = signedHeaders(res.headers);
    const key = h.serial ? (ring.get(h.serial) ?? found.get(h.serial.toUpperCase())?.key) : undefined;
    if (!h.timestamp || !h.nonce || !h.signature || !key || h.signature.startsWith(PROBE_PREFIX))
      return { kind: 'failed', reason: key ? 'unsigned_certificates' : 'unknown_serial' };
    let valid = false;
    try {
      valid = createVerify('RSA-SHA256')
        .update(lines(h.timestamp, h.nonce, res.raw))
        .verify(key, h.signature, 'base64');
    } catch {
      valid = false;
    }
    if (!valid || !isFresh(Number(h.timestamp), clock.now()))
      return { kind: 'failed', reason: 'bad_response_signature' };
    for (const c of found.values()) ring.addCertificate(c.pem, c.expireAt);
    return { kind: 'ok', serials: [...found.keys()] };
  }

  /** One fetch at a time: concurrent callers share it. */
  function refresh(): Promise<CertificateFetch> {
    inflight ??= fetchOnce()
      .then((r) => {
        if (r.kind === 'failed') log.warn({ reason: r.reason }, 'wechatpay platform certificates not refreshed');
        if (r.kind === 'none')
          log.warn({}, 'wechatpay has no platform certificate for this merchant (public key only)');
        return r;
      })
      .finally(() => (inflight = null));
    return inflight;
  }

  /** Before verifying: refresh when due (12 h, or a certificate ends within a day) or the serial is new. */
  async function beforeVerify(serial: string | null): Promise<void> {
    const now = clock.now().getTime();
    const end = ring.nextCertificateEnd();
    // A certificate ending within a day has its successor listed by now (the 24 h overlap): ask hourly.
    const due =
      now - lastAttempt >= CERT_REFRESH_MS ||
      (end !== null && end - now < 24 * 3600_000 && now - lastAttempt >= 3600_000);
    const unknown = serial !== null && !ring.has(serial) && now - lastAttempt >= UNKNOWN_SERIAL_RETRY_MS;
    if (due || unknown) await refresh();
  }

  /** Bootstrapping: the first fetch before the first request, whose GET names no serial (there is none yet). */
  async function beforeRequest(): Promise<void> {
    if (lastAttempt === -Infinity) await refresh();
  }

  return { refresh, beforeVerify, beforeRequest };
}

export type CertificateDownloader = ReturnType<typeof createCertificateDownloader>;
