import type { WechatpayCredentials } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { CreateResult, PayerIdentity } from '../provider.ts';
import { createClientSigner } from './jsapi.ts';
import { createPayerExchange } from './payer.ts';

/** The in-app channels (issue 15) and the API each orders with (docs/protocols/wechatpay.md#orders). */
export const IN_APP_CHANNELS = ['jsapi', 'mini', 'app'] as const;
export type InAppChannel = (typeof IN_APP_CHANNELS)[number];
export const isInAppChannel = (c: string): c is InAppChannel => (IN_APP_CHANNELS as readonly string[]).includes(c);
const ORDER_API: Record<InAppChannel, 'jsapi' | 'app'> = { jsapi: 'jsapi', mini: 'jsapi', app: 'app' };

/**
 * WeChat Pay inside WeChat and in apps: JSAPI (an official account's page), the mini-program (both order with
 * /v3/pay/transactions/jsapi under their own app id and the payer's openid under it) and the mobile app
 * (/v3/pay/transactions/app). A channel exists only when its app is configured.
 */
export function createInApp(creds: WechatpayCredentials, deps: { clock: Clock; timeoutMs: number; log: Logger }) {
  const apps = creds.apps;
  const appIdOf = (channel: InAppChannel): string | undefined =>
    channel === 'jsapi' ? apps?.oa?.appId : channel === 'mini' ? apps?.mini?.appId : apps?.app?.appId;
  const channels = IN_APP_CHANNELS.filter((c) => appIdOf(c) !== undefined);
  const signer = createClientSigner(creds.privateKey);
  const exchange = apps ? createPayerExchange(apps, deps.timeoutMs, deps.log) : undefined;

  const payer: PayerIdentity = {
    needsCode: (channel) => channel === 'jsapi' || channel === 'mini',
    async identify(channel, code) {
      if (!exchange || !isInAppChannel(channel) || !channels.includes(channel))
        return { kind: 'refused', reason: 'channel_not_configured', message: `no app for ${channel}` };
      return channel === 'mini' ? exchange.mini(code) : exchange.oauth(code);
    },
    authorizeUrl(channel, redirectUri, state) {
      if (channel !== 'jsapi' || !apps?.oa) return null;
      // snsapi_base: silent inside WeChat, gives the openid only; `#wechat_redirect` is required by WeChat
      // (网页授权 doc, developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html).
      const q = new URLSearchParams({
        appid: apps.oa.appId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
      });
      return `${apps.oauthBaseUrl}/connect/oauth2/authorize?${q}#wechat_redirect`;
    },
  };

  return {
    channels,
    payer,
    /** Every app id this merchant's trades may carry: notifications name one of them. */
    appIds: [creds.appId, ...channels.map((c) => appIdOf(c)!)],
    /** The order body's app id and payer, and the API path; undefined when the channel has no app. */
    order(channel: InAppChannel, openid: string | undefined) {
      const appId = appIdOf(channel);
      if (!appId) return undefined;
      if (channel !== 'app' && !openid) return undefined;
      return {
        appId,
        path: `/v3/pay/transactions/${ORDER_API[channel]}`,
        extra: channel === 'app' ? {} : { payer: { openid } },
      };
    },
    /** The client's parameters for the prepay_id WeChat answered. */
    action(channel: InAppChannel, appId: string, prepayId: string): CreateResult {
      const now = deps.clock.now();
      const params =
        channel === 'jsapi'
          ? signer.jsapi(appId, prepayId, now)
          : channel === 'mini'
            ? signer.mini(appId, prepayId, now)
            : signer.app(appId, creds.mchId, prepayId, now);
      return { kind: 'created', action: { type: channel, params: { ...params } } };
    },
  };
}
