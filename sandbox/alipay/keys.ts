import { generateKeyPairSync, randomInt } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import { loadOrCreateKeys } from '../shared/store.ts';

/** What the sandbox keeps: its own "Alipay" key pair, and the one merchant app it issued. */
export interface AlipaySandboxKeys {
  alipayPrivateKey: string;
  alipayPublicKey: string;
  appId: string;
  appPrivateKey: string;
  appPublicKey: string;
  /** The merchant's Alipay user id (PID), `seller_id` on notifications: 16 digits starting 2088. */
  sellerId: string;
  /**
   * Set when the sandbox runs in certificate mode (公钥证书): the serial numbers a request must carry and the
   * one responses name; the key pairs above are then the certificates' (sandbox/alipay/certs.ts).
   */
  certMode?: { appCertSn: string; rootCertSn: string; alipayCertSn: string };
}

function rsaPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');

/** Generated on first start and stored in the database, so restarts keep the issued credentials. */
export function loadAlipayKeys(db: Db): Promise<AlipaySandboxKeys> {
  return loadOrCreateKeys(db, 'alipay', () => {
    const alipay = rsaPair();
    const app = rsaPair();
    return {
      alipayPrivateKey: alipay.privateKey,
      alipayPublicKey: alipay.publicKey,
      appId: `2021${digits(12)}`,
      appPrivateKey: app.privateKey,
      appPublicKey: app.publicKey,
      sellerId: `2088${digits(12)}`,
    };
  });
}
