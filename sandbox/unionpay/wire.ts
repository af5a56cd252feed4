import { createHash, createPrivateKey, createVerify, X509Certificate, createSign, type KeyObject } from 'node:crypto';

/**
 * The gateway's side of ACP signMethod 01 (docs/protocols/unionpay.md#signature). Written apart from the adapter's on
 * purpose: the sandbox never imports mallpay code, and two implementations check each other.
 */
export type Fields = Record<string, string>;

function sortedString(fields: Fields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}
const hexDigest = (fields: Fields) => createHash('sha256').update(sortedString(fields), 'utf8').digest('hex');

export function signFields(fields: Fields, key: KeyObject | string): string {
  return createSign('sha256')
    .update(hexDigest(fields), 'ascii')
    .sign(typeof key === 'string' ? createPrivateKey(key) : key, 'base64');
}

export function verifyFields(fields: Fields, publicKey: KeyObject): boolean {
  if (!fields.signature) return false;
  try {
    return createVerify('sha256').update(hexDigest(fields), 'ascii').verify(publicKey, fields.signature, 'base64');
  } catch {
    return false;
  }
}

export const decimalSerial = (pem: string) => BigInt(`0x${new X509Certificate(pem).serialNumber}`).toString(10);

/** signPubKeyCert travels with CRLF line breaks, and is signed that way. */
export const crlfPem = (pem: string) => pem.replace(/\r?\n/g, '\r\n');

/** Adds signMethod, signPubKeyCert and signature, dropping empty values as the gateway does. */
export function signAsGateway(fields: Fields, gatewayCert: string, gatewayKey: KeyObject): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) if (v !== '') out[k] = v;
  out.signMethod = '01';
  out.signPubKeyCert = crlfPem(gatewayCert);
  out.signature = signFields(out, gatewayKey);
  return out;
}

/** Sync responses are raw `k=v&…`, never URL-encoded (docs/protocols/unionpay.md#parsing-answers). */
export const rawBody = (fields: Fields) =>
  Object.keys(fields)
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
