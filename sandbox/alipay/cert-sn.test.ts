import { AlipaySdk } from 'alipay-sdk';
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/lib/clock.ts';
import { freshDb } from '../../test/support/db.ts';
import { certSerials, loadAlipayCerts } from './certs.ts';

describe('the Alipay sandbox certificates', () => {
  it('have the serial numbers alipay-sdk computes for them, the root file giving two joined by _', async () => {
    const db = await freshDb();
    try {
      const certs = await loadAlipayCerts(db, new FakeClock('2026-11-25T12:00:00Z').now());
      const sn = certSerials(certs);
      const sdk = new AlipaySdk({
        appId: '2021000000000001',
        privateKey: certs.appPrivateKey,
        keyType: 'PKCS8',
        appCertContent: certs.appCert,
        alipayPublicCertContent: certs.alipayCert,
        alipayRootCertContent: certs.rootCert,
      });
      expect(sn).toEqual({
        appCertSn: sdk.config.appCertSn,
        rootCertSn: sdk.config.alipayRootCertSn,
        alipayCertSn: sdk.config.alipayCertSn,
      });
      expect(sn.rootCertSn).toMatch(/^[0-9a-f]{32}_[0-9a-f]{32}$/);
      // By hand for the app certificate: MD5 of "CN=…,OU=…,O=…,C=CN" and the decimal serial.
      const app = new X509Certificate(certs.appCert);
      const byHand = createHash('md5')
        .update(
          `CN=Alipay SANDBOX Root CA,OU=Certification Authority,O=mallpay SANDBOX,C=CN${BigInt(`0x${app.serialNumber}`)}`,
        )
        .digest('hex');
      expect(sn.appCertSn).toBe(byHand);
      expect(app.checkPrivateKey((await import('node:crypto')).createPrivateKey(certs.appPrivateKey))).toBe(true);
    } finally {
      await db.close();
    }
  }, 180_000); // four RSA-2048 key pairs: slow on a loaded machine, not a timing assertion
});
