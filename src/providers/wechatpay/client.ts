import { readCappedBody } from '../../lib/capped-body.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { isFresh, signedHeaders, verifySignedMessage, type PlatformKeyRing, type RequestSigner } from './signing.ts';

/** One API v3 call's outcome, before any operation decides what it means for mallpay. */
export type ApiResult =
  /** A 2xx whose signature held; `body` is the parsed JSON, null for 204. */
  | { kind: 'ok'; status: number; body: Record<string, unknown> | null }
  /** A protocol error answer `{code, message}` (4xx/5xx). */
  | { kind: 'error'; status: number; code: string; message: string }
  /** No trustworthy answer: network failure, timeout, a body that is not the protocol's, or a bad signature. */
  | { kind: 'unknown'; reason: string; message: string };

/** An answer as it came, before any verification: for GET /v3/certificates, which verifies itself. */
export type RawAnswer = { ok: true; status: number; headers: Headers; raw: string } | { ok: false; reason: string };

export interface ApiClient {
  call(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<ApiResult>;
  /** A signed GET whose answer is returned unverified. */
  getRaw(path: string): Promise<RawAnswer>;
  /**
   * A signed GET of a bill's download_url: the answer is the raw file, which WeChat does not sign
   * (docs/protocols/wechatpay.md#bills).
   */
  download(downloadUrl: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }>;
}

/** A day's bill of a very large merchant is well under this; a bigger body is refused, not held. */
const MAX_BILL_BYTES = 256 * 1024 * 1024;

export function createApiClient(opts: {
  baseUrl: string;
  signer: RequestSigner;
  platformKeys: PlatformKeyRing;
  clock: Clock;
  log: Logger;
  timeoutMs: number;
  /**
   * Called with an answer's `Wechatpay-Serial` before it is verified: in certificate mode, fetches the
   * platform certificates when they are due or the serial is new (platform-certificates.ts).
   */
  beforeVerify?: (serial: string | null) => Promise<void>;
  /** Before a request goes out: in certificate mode, the first certificates, so the request can name one. */
  beforeRequest?: () => Promise<void>;
}): ApiClient {
  function requestHeaders(method: string, url: URL, payload: string): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'mallpay-wechatpay/0.1',
      Authorization: opts.signer.authorization(method, url.pathname + url.search, payload, opts.clock.now()),
    };
    // Names the key we verify with: a migrating merchant is answered with the key it names (the public key
    // switch guide, pay.weixin.qq.com/doc/v3/merchant/4012154180); WeChat also needs it for encrypted fields.
    const serial = opts.platformKeys.preferredSerial();
    if (serial) headers['Wechatpay-Serial'] = serial;
    return headers;
  }

  async function getRaw(path: string): Promise<RawAnswer> {
    const url = new URL(`${opts.baseUrl}${path}`);
    try {
      const res = await fetch(url, {
        headers: requestHeaders('GET', url, ''),
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: 'manual',
      });
      return { ok: true, status: res.status, headers: res.headers, raw: await res.text() };
    } catch (err) {
      return { ok: false, reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network_error' };
    }
  }

  async function call(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<ApiResult> {
    const url = new URL(`${opts.baseUrl}${path}`);
    // Serialized once: the signature covers exactly these bytes (docs/protocols/wechatpay.md#request-signature).
    const payload = body === undefined ? '' : JSON.stringify(body);
    await opts.beforeRequest?.();
    const headers = requestHeaders(method, url, payload);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    let raw: string;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : payload,
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: 'manual',
      });
      raw = await res.text();
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      opts.log.warn({ path: url.pathname, err: String(err) }, 'wechatpay call failed without an answer');
      return { kind: 'unknown', reason: name === 'TimeoutError' ? 'timeout' : 'network_error', message: String(err) };
    }
    const h = signedHeaders(res.headers);
    if (h.signature !== null) await opts.beforeVerify?.(h.serial);
    return interpret(res, raw, url.pathname);
  }

  function interpret(res: Response, raw: string, path: string): ApiResult {
    const h = signedHeaders(res.headers);
    const signed = h.signature !== null;
    if ((res.status >= 200 && res.status < 300) || signed) {
      // Every 2xx must be signed (204 too). Error answers are checked when signed (docs/protocols/wechatpay.md#u11:
      // unconfirmed whether WeChat signs them), so a forged error cannot turn a refund into a failure.
      const v = verifySignedMessage(opts.platformKeys, h, raw);
      if (!v.ok || !isFresh(v.timestamp, opts.clock.now())) {
        opts.log.warn(
          { path, status: res.status, why: v.ok ? 'stale' : v.why },
          'wechatpay response signature rejected',
        );
        return {
          kind: 'unknown',
          // An answer signed by a key we do not hold is never trusted; its own reason tells staff why.
          reason: !v.ok && v.why === 'unknown_serial' ? 'unknown_serial' : 'bad_response_signature',
          message: `response not verified (${v.ok ? 'stale' : v.why})`,
        };
      }
    }
    const json = parseObject(raw);
    if (res.status >= 200 && res.status < 300) {
      if (res.status === 204) return { kind: 'ok', status: 204, body: null };
      return json
        ? { kind: 'ok', status: res.status, body: json }
        : { kind: 'unknown', reason: 'malformed_response', message: 'a 2xx body that is not a JSON object' };
    }
    if (json && typeof json.code === 'string') {
      return {
        kind: 'error',
        status: res.status,
        code: json.code,
        message: typeof json.message === 'string' ? json.message : '',
      };
    }
    return { kind: 'unknown', reason: `http_${res.status}`, message: raw.slice(0, 200) };
  }

  async function download(downloadUrl: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
    const url = new URL(downloadUrl);
    // Our Authorization header goes to WeChat's own origin only, whatever a response may say.
    if (url.origin !== new URL(opts.baseUrl).origin) return { ok: false, reason: 'foreign_download_url' };
    await opts.beforeRequest?.();
    try {
      const res = await fetch(url, {
        headers: { ...requestHeaders('GET', url, ''), Accept: '*/*' },
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: 'manual',
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        return { ok: false, reason: `http_${res.status}` };
      }
      const bytes = await readCappedBody(res, MAX_BILL_BYTES);
      return bytes ? { ok: true, bytes } : { ok: false, reason: 'too_large' };
    } catch (err) {
      return { ok: false, reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network_error' };
    }
  }

  return { call, getRaw, download };
}

export function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Whether an error answer is worth asking again about, rather than a final refusal (docs/protocols/wechatpay.md#errors,
 * docs/protocols/wechatpay.md#status-mapping).
 */
export function isTransient(e: { status: number; code: string }): boolean {
  return (
    e.status >= 500 ||
    e.status === 401 ||
    e.status === 429 ||
    e.code === 'FREQUENCY_LIMITED' ||
    e.code === 'SYSTEM_ERROR'
  );
}
