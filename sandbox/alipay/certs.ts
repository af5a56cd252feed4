import { createPublicKey } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import { loadOrCreateKeys } from '../shared/store.ts';
// The same small X.509 issuer the UnionPay sandbox uses (RSA-2048, SHA256withRSA, v3 extensions).
import { issueCertificate } from '../unionpay/ca.ts';
import { certSn, rootCertSn } from './cert-sn.ts';

/**
 * Certificate mode (公钥证书): what Alipay's console hands a merchant — the app's certificate (over the app's
 * key), Alipay's public-key certificate, and the root file — with the private keys the sandbox signs with.
 * Generated on first use and kept in the database like the other sandbox keys; never committed.
 */
export interface AlipaySandboxCerts {
  /** Two RSA roots in one file, as Alipay's alipayRootCert.crt holds several: its SN is `sn1_sn2`. */
  rootCert: string;
  appCert: string;
  appPrivateKey: string;
  alipayCert: string;
  alipayPrivateKey: string;
}

const DAY = 86_400_000;
const org = (cn: string): [string, string][] => [
  ['C', 'CN'],
  ['O', 'mallpay SANDBOX'],
  ['OU', 'Certification Authority'],
  ['CN', cn],
];

export function loadAlipayCerts(db: Db, now: Date): Promise<AlipaySandboxCerts> {
  return loadOrCreateKeys(db, 'alipay-certificates', () => {
    const validity = { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY) };
    const root = issueCertificate({ subject: org('Alipay SANDBOX Root CA'), ca: true, ...validity });
    const root2 = issueCertificate({ subject: org('Alipay SANDBOX Root CA R2'), ca: true, ...validity });
    const issuer = { subject: org('Alipay SANDBOX Root CA'), key: root.key, cert: root.cert };
    const app = issueCertificate({ subject: org('mallpay SANDBOX merchant app'), ca: false, issuer, ...validity });
    const alipay = issueCertificate({ subject: org('Alipay SANDBOX gateway'), ca: false, issuer, ...validity });
    return {
      rootCert: `${root.cert}${root2.cert}`,
      appCert: app.cert,
      appPrivateKey: app.key,
      alipayCert: alipay.cert,
      alipayPrivateKey: alipay.key,
    };
  });
}

/** The serial numbers a certificate-mode request must carry, and the one a response names. */
export function certSerials(c: AlipaySandboxCerts) {
  return { appCertSn: certSn(c.appCert), rootCertSn: rootCertSn(c.rootCert), alipayCertSn: certSn(c.alipayCert) };
}

export const publicKeyOf = (certPem: string) =>
  createPublicKey(certPem).export({ type: 'spki', format: 'pem' }) as string;
