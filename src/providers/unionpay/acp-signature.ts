import { createHash, createPrivateKey, createSign, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { signingString, type AcpFields } from './acp-fields.ts';

/**
 * UnionPay signs the lowercase hex SHA-256 of the sorted string, as ASCII: the content is hashed twice
 * (docs/protocols/unionpay.md#signature).
 */
const digestHex = (fields: AcpFields) => createHash('sha256').update(signingString(fields), 'utf8').digest('hex');

/** signMethod 01: SHA256withRSA (PKCS#1 v1.5) over the hex digest, base64. */
export function signAcp(fields: AcpFields, privateKeyPem: string | KeyObject): string {
  const key = typeof privateKeyPem === 'string' ? createPrivateKey(privateKeyPem) : privateKeyPem;
  return createSign('sha256').update(digestHex(fields), 'ascii').sign(key, 'base64');
}

export function verifyAcp(fields: AcpFields, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('sha256').update(digestHex(fields), 'ascii').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** `certId` is the DECIMAL serial number of the merchant's signing certificate (docs/protocols/unionpay.md#fields). */
export function certIdOf(certPem: string): string {
  return BigInt(`0x${new X509Certificate(certPem).serialNumber}`).toString(10);
}
