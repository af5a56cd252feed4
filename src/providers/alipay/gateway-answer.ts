import { gatewayVerdict } from './status.ts';

export type GatewayAnswer =
  | { kind: 'ok'; body: Record<string, unknown> }
  /**
   * A definitive refusal: nothing was done at Alipay. `signed: false` for the gateway's own refusals
   * (40001/40002/40006), which Alipay sends without a signature.
   */
  | { kind: 'refused'; code: string; subCode: string; message: string; signed: boolean }
  /** 20000, a timeout, a non-200, an unverifiable answer: nothing is known. */
  | { kind: 'unknown'; reason: string; message: string };

/**
 * The gateway's own refusals of a request it did not process: missing (40001) or invalid (40002) common
 * parameters — app_id, signature, timestamp, certificate serial numbers — and missing permission (40006).
 * Alipay answers them without `sign` when it cannot or does not sign (a wrong app_id leaves it no key to sign
 * with): "网关会对开发者的接口非业务调用错误做统一处理" (opendocs common/105806, 公共错误码). An unsigned answer
 * is trusted only that far: nothing was done. A business answer (10000, 40004) is always signed.
 */
const UNSIGNED_REFUSALS = ['40001', '40002', '40006'];

export interface AnswerCheck {
  /** alipay-sdk's checkResponseSign over the raw text of the node under `responseKey`. */
  verify(raw: string, responseKey: string, sign: string): boolean;
  /** Certificate mode: the serial number of the Alipay certificate we hold; a response names the one it used. */
  alipayCertSn?: string | undefined;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Reads one gateway response (docs/protocols/alipay.md#responses):
 * `{"<method>_response":{…},["alipay_cert_sn":"…",]"sign":"…"}`, or the same with `error_response` (both occur for
 * gateway errors). The verdict comes from the code, never from an SDK's message text.
 */
export function readGatewayAnswer(raw: string, method: string, check: AnswerCheck): GatewayAnswer {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return { kind: 'unknown', reason: 'malformed_response', message: raw.slice(0, 200) };
  }
  const top = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  const methodKey = `${method.replaceAll('.', '_')}_response`;
  const key = methodKey in top ? methodKey : 'error_response';
  const node = top[key];
  if (!node || typeof node !== 'object' || Array.isArray(node))
    return { kind: 'unknown', reason: 'malformed_response', message: raw.slice(0, 200) };
  const body = node as Record<string, unknown>;
  const code = text(body.code);
  const subCode = text(body.sub_code);
  const message = [body.msg, body.sub_msg].filter((v) => typeof v === 'string').join(': ');
  const sign = text(top.sign);
  if (!sign) {
    if (code && UNSIGNED_REFUSALS.includes(code))
      return { kind: 'refused', code, subCode: subCode ?? code, message, signed: false };
    return { kind: 'unknown', reason: 'unsigned_response', message };
  }
  // Certificate mode: Alipay names the certificate it signed with; another one (a renewed certificate we do not
  // hold yet) cannot be verified with ours, and saying so is clearer than "bad signature".
  const certSn = text(top.alipay_cert_sn);
  if (check.alipayCertSn && certSn && certSn !== check.alipayCertSn)
    return { kind: 'unknown', reason: 'alipay_cert_sn_mismatch', message: `signed with certificate ${certSn}` };
  if (!check.verify(raw, key, sign))
    return { kind: 'unknown', reason: 'bad_response_signature', message: 'response signature does not verify' };
  switch (gatewayVerdict(code, subCode)) {
    case 'ok':
      return { kind: 'ok', body };
    case 'refused':
      return { kind: 'refused', code: code!, subCode: subCode ?? code!, message, signed: true };
    case 'unknown':
      return { kind: 'unknown', reason: subCode ?? `code_${code ?? 'missing'}`, message };
  }
}
