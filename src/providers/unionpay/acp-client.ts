import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { parseRawFields, type AcpFields } from './acp-fields.ts';
import { signAcp } from './acp-signature.ts';
import type { TrustAnchors } from './gateway-cert.ts';
import { verifyGatewayMessage } from './verify-message.ts';

export type BackAnswer =
  | { ok: true; fields: AcpFields }
  | { ok: false; reason: 'timeout' | 'network' | 'http' | 'bad_signature'; message: string };

export interface AcpClientOptions {
  gateway: string;
  signKey: string;
  certId: string;
  anchors: TrustAnchors;
  clock: Clock;
  log: Logger;
  timeoutMs: number;
}

/**
 * Adds the signing fields to a request: requests drop blank values before signing
 * (docs/protocols/unionpay.md#signature).
 */
export function signRequest(fields: AcpFields, signKey: string, certId: string): AcpFields {
  const out: AcpFields = { ...fields, signMethod: '01', certId };
  for (const k of Object.keys(out)) if (out[k] === '') delete out[k];
  out.signature = signAcp(out, signKey);
  return out;
}

/** Server-to-server POSTs (backTransReq, queryTrans): form-encoded request, raw `k=v&` signed answer. */
export function createAcpClient(opts: AcpClientOptions) {
  return async function post(path: string, fields: AcpFields): Promise<BackAnswer> {
    const body = new URLSearchParams(signRequest(fields, opts.signKey, opts.certId)).toString();
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${opts.gateway}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return {
        ok: false,
        reason: timeout ? 'timeout' : 'network',
        message: err instanceof Error ? err.message : String(err),
      };
    }
    if (status !== 200) return { ok: false, reason: 'http', message: `HTTP ${status} from ${path}` };
    const answer = parseRawFields(text.trim());
    const verified = verifyGatewayMessage(answer, opts.anchors, opts.clock);
    if (!verified.ok) {
      opts.log.warn({ path, respCode: answer.respCode, why: verified.message }, 'unionpay answer failed verification');
      return { ok: false, reason: 'bad_signature', message: verified.message };
    }
    return { ok: true, fields: answer };
  };
}

export type AcpPost = ReturnType<typeof createAcpClient>;
