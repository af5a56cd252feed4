import type { WechatApps } from '../../config.wechat-apps.ts';
import type { Logger } from '../../lib/log.ts';
import type { PayerResult } from '../provider.ts';
import { parseObject } from './client.ts';

/**
 * The payer's openid from a one-time `code`: an OAuth code (snsapi_base) at sns/oauth2/access_token with the
 * official account's secret, or `wx.login`'s code at sns/jscode2session with the mini-program's. An openid
 * belongs to one app id, so each channel exchanges with its own app (docs/channels/wechat-jsapi.md).
 */
export function createPayerExchange(apps: WechatApps, timeoutMs: number, log: Logger) {
  async function exchange(path: string, params: Record<string, string>): Promise<PayerResult> {
    const url = `${apps.apiBaseUrl}${path}?${new URLSearchParams(params)}`;
    let raw: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      raw = await res.text();
      if (res.status !== 200) return { kind: 'unknown', reason: `http_${res.status}` };
    } catch (err) {
      return {
        kind: 'unknown',
        reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network_error',
      };
    }
    const body = parseObject(raw);
    if (!body) return { kind: 'unknown', reason: 'malformed_response' };
    if (typeof body.openid === 'string' && body.openid !== '') return { kind: 'identified', openid: body.openid };
    const r = refusal(body.errcode, body.errmsg);
    // Not the payer's doing (a wrong secret or app id, WeChat busy): staff need to see it.
    if (r.kind === 'unknown')
      log.warn({ path, errcode: body.errcode, errmsg: body.errmsg }, 'wechat code exchange failed');
    return r;
  }

  return {
    async oauth(code: string): Promise<PayerResult> {
      if (!apps.oa) return { kind: 'refused', reason: 'channel_not_configured', message: 'no official account' };
      return exchange('/sns/oauth2/access_token', {
        appid: apps.oa.appId,
        secret: apps.oa.secret,
        code,
        grant_type: 'authorization_code',
      });
    },
    async mini(code: string): Promise<PayerResult> {
      if (!apps.mini) return { kind: 'refused', reason: 'channel_not_configured', message: 'no mini-program' };
      return exchange('/sns/jscode2session', {
        appid: apps.mini.appId,
        secret: apps.mini.secret,
        js_code: code,
        grant_type: 'authorization_code',
      });
    },
  };
}

/**
 * WeChat's errcodes: 40029 invalid code, 40163 code been used, 40226 a blocked user are the payer's to fix
 * (a new code); -1 (busy) and 45011 (frequency limit) are worth trying again; a wrong secret (40125) or app id
 * (40013) is the merchant's configuration, told to staff in the log and to the payer as unavailable.
 */
function refusal(errcode: unknown, errmsg: unknown): PayerResult {
  const message = typeof errmsg === 'string' ? errmsg.slice(0, 200) : 'no openid';
  if (errcode === 40029 || errcode === 40163 || errcode === 40226)
    return { kind: 'refused', reason: `errcode_${errcode}`, message };
  return { kind: 'unknown', reason: `errcode_${String(errcode)}` };
}
