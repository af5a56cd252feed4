import { z } from 'zod';

/**
 * The WeChat apps a merchant pays in besides its WeChat Pay app id (issue 15): the official account whose
 * pages pay with JSAPI, the mini-program, the mobile app. Each is optional; its channel is offered only when
 * it is configured. The OAuth and API hosts are settings so that a sandbox can stand in for them.
 */
export interface WechatApps {
  /** Official account (公众号): JSAPI; the secret exchanges an OAuth `code` for the payer's openid. */
  oa?: { appId: string; secret: string } | undefined;
  /** Mini-program: the secret exchanges `wx.login`'s code at sns/jscode2session. */
  mini?: { appId: string; secret: string } | undefined;
  /** Mobile app (开放平台 app id): the OpenSDK needs no payer id. */
  app?: { appId: string } | undefined;
  /** Where the OAuth authorize page is (`/connect/oauth2/authorize`). */
  oauthBaseUrl: string;
  /** Where `sns/oauth2/access_token` and `sns/jscode2session` are. */
  apiBaseUrl: string;
}

const optional = <T extends z.ZodTypeAny>(t: T) => z.preprocess((v) => (v === '' ? undefined : v), t.optional());
/** WeChat app ids are `wx` and 16 hex digits; secrets 32 hex digits (both as the consoles issue them, kept loose). */
const appId = z.string().regex(/^wx[0-9A-Za-z]{16}$/, 'must be wx and 16 letters or digits');
const secret = z.string().regex(/^[0-9A-Za-z]{16,64}$/, 'must be 16-64 letters or digits');
const baseUrl = z.url().refine((v) => !v.endsWith('/'), 'must not end with a slash');

const schema = z.object({
  WECHAT_OA_APP_ID: optional(appId),
  WECHAT_OA_APP_SECRET: optional(secret),
  WECHAT_MINI_APP_ID: optional(appId),
  WECHAT_MINI_APP_SECRET: optional(secret),
  WECHAT_APP_APP_ID: optional(appId),
  WECHAT_OAUTH_BASE_URL: optional(baseUrl),
  WECHAT_API_BASE_URL: optional(baseUrl),
});

/** Parses the WECHAT_* settings; a bad or half-given pair is a message naming the settings, never a guess. */
export function wechatAppsFromEnv(source: Record<string, string | undefined>): WechatApps | { error: string[] } {
  const parsed = schema.safeParse(source);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const env = parsed.data;
  const errors: string[] = [];
  const pair = (name: 'OA' | 'MINI', id: string | undefined, s: string | undefined) => {
    if (!id && !s) return undefined;
    if (!id || !s) {
      errors.push(`WECHAT_${name}: set WECHAT_${name}_APP_ID and WECHAT_${name}_APP_SECRET together`);
      return undefined;
    }
    return { appId: id, secret: s };
  };
  const apps: WechatApps = {
    oa: pair('OA', env.WECHAT_OA_APP_ID, env.WECHAT_OA_APP_SECRET),
    mini: pair('MINI', env.WECHAT_MINI_APP_ID, env.WECHAT_MINI_APP_SECRET),
    app: env.WECHAT_APP_APP_ID ? { appId: env.WECHAT_APP_APP_ID } : undefined,
    oauthBaseUrl: env.WECHAT_OAUTH_BASE_URL ?? 'https://open.weixin.qq.com',
    apiBaseUrl: env.WECHAT_API_BASE_URL ?? 'https://api.weixin.qq.com',
  };
  return errors.length ? { error: errors } : apps;
}
