import { createCipheriv, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issuePlatformCertificate } from '../../../sandbox/wechatpay/certificate.ts';
import { FakeClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/log.ts';
import type { ApiClient } from './client.ts';
import { createCertificateDownloader } from './platform-certificates.ts';
import { lines, PlatformKeyRing } from './signing.ts';

const apiV3Key = 'a'.repeat(32);
const clock = new FakeClock();
const cert = issuePlatformCertificate('1900000001', clock.now(), new Date(clock.now().getTime() + 365 * 864e5));

function encrypt(pem: string, key = apiV3Key) {
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  c.setAAD(Buffer.from('certificate'));
  const ct = Buffer.concat([c.update(pem), c.final(), c.getAuthTag()]).toString('base64');
  return { algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate', nonce, ciphertext: ct };
}

/** A GET /v3/certificates answer carrying `cert`, signed by `signKey` under `serial`. */
function answer(opts: { signKey?: string; serial?: string; apiKey?: string } = {}): ApiClient {
  const raw = JSON.stringify({
    data: [
      {
        serial_no: cert.serial,
        effective_time: '2026-01-01T00:00:00+08:00',
        expire_time: '2031-01-01T00:00:00+08:00',
        encrypt_certificate: encrypt(cert.cert, opts.apiKey),
      },
    ],
  });
  const ts = String(Math.floor(clock.now().getTime() / 1000));
  const signature = createSign('RSA-SHA256')
    .update(lines(ts, 'n0nce', raw))
    .sign(opts.signKey ?? cert.privateKey, 'base64');
  const headers = new Headers({
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': 'n0nce',
    'wechatpay-signature': signature,
    'wechatpay-serial': opts.serial ?? cert.serial,
  });
  return { getRaw: async () => ({ ok: true, status: 200, headers, raw }) } as unknown as ApiClient;
}

const download = async (api: ApiClient) => {
  const ring = new PlatformKeyRing(() => clock.now());
  const r = await createCertificateDownloader({ api, apiV3Key, ring, clock, log: silentLogger }).refresh();
  return { r, known: ring.has(cert.serial) };
};

describe('GET /v3/certificates, bootstrapping with no certificate yet', () => {
  it('keeps a certificate that opened with the APIv3 key and whose answer it verifies itself', async () => {
    expect(await download(answer())).toEqual({ r: { kind: 'ok', serials: [cert.serial] }, known: true });
  });

  it('keeps nothing when the answer is signed by another key under the certificate serial', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(await download(answer({ signKey: other }))).toEqual({
      r: { kind: 'failed', reason: 'bad_response_signature' },
      known: false,
    });
  });

  it('keeps nothing when the answer names a serial neither held nor contained', async () => {
    expect(await download(answer({ serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' }))).toEqual({
      r: { kind: 'failed', reason: 'unknown_serial' },
      known: false,
    });
  });

  it('keeps nothing when a certificate does not open with our APIv3 key', async () => {
    expect(await download(answer({ apiKey: 'b'.repeat(32) }))).toEqual({
      r: { kind: 'failed', reason: 'certificate_not_decrypted' },
      known: false,
    });
  });
});
