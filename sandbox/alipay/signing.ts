import { createSign, createVerify } from 'node:crypto';

/**
 * Alipay's RSA2 content string (docs/protocols/alipay.md#request-signature for requests,
 * docs/protocols/alipay.md#notification-verification for notifications): keys sorted by byte order, `k=v` joined with
 * `&`, raw values. In a request empty values are left out, as the Alipay docs and the official .NET SDK do
 * (docs/protocols/alipay.md#u1: this sandbox chose the documented rule, so alipay-sdk's habit of signing `return_url=`
 * fails here, as it may at the real gateway). In a notification every parameter sent is signed, an empty one as `key=`
 * (`keepEmpty`): the notification docs sign "every parameter returned but sign and sign_type", and Alipay's Java SDK
 * and alipay-sdk's checkNotifySignV2 keep empty values.
 */
export function signContent(
  params: Record<string, string>,
  exclude: readonly string[],
  opts: { keepEmpty?: boolean } = {},
): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && (opts.keepEmpty || params[k] !== ''))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** SHA256withRSA (PKCS#1 v1.5), base64. */
export function rsa2Sign(content: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
}

export function rsa2Verify(content: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}

/** Requests: everything but `sign` is signed, `sign_type` included (docs/protocols/alipay.md#request-signature). */
export const REQUEST_UNSIGNED = ['sign'] as const;
/**
 * Notifications and return_url parameters: `sign` and `sign_type` are both left out
 * (docs/protocols/alipay.md#notification-verification).
 */
export const NOTIFY_UNSIGNED = ['sign', 'sign_type'] as const;

/**
 * A gateway response (docs/protocols/alipay.md#responses): `{"<method>_response":{…},"sign":"…"}`, signed over the
 * exact text of the `_response` value. Slashes are escaped as Alipay's gateway does (`https:\/\/qr.alipay.com\/…`),
 * which proves the client verifies the raw text rather than a re-serialisation.
 */
export function signedResponse(
  responseKey: string,
  body: Record<string, unknown>,
  alipayPrivateKeyPem: string,
  alipayCertSn?: string,
): string {
  const inner = escapedJson(body);
  const sign = rsa2Sign(inner, alipayPrivateKeyPem);
  // Certificate mode: the serial number of the certificate whose key signed, between the node and the sign
  // (`{"…_response":{…},"alipay_cert_sn":"…","sign":"…"}`, as alipay-sdk-java's certificateExecute reads it).
  const sn = alipayCertSn ? `"alipay_cert_sn":"${alipayCertSn}",` : '';
  return `{"${responseKey}":${inner},${sn}"sign":"${sign}"}`;
}

/**
 * A gateway refusal as Alipay sends it when it does not sign: the node alone, no `sign`
 * (docs/protocols/alipay.md#responses).
 */
export function unsignedResponse(responseKey: string, body: Record<string, unknown>): string {
  return `{"${responseKey}":${escapedJson(body)}}`;
}

const escapedJson = (body: Record<string, unknown>) => JSON.stringify(body).replace(/\//g, '\\/');

export function responseKeyOf(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}
