import { createHmac, randomBytes } from 'node:crypto';

/**
 * The WeChat apps bound to the sandbox's merchant (issue 15): an official account (JSAPI), a mini-program
 * and a mobile app, as the WeChat consoles issue them, generated on first start and kept in sandbox_keys.
 */
export interface WechatAppKeys {
  oa: { appId: string; secret: string };
  mini: { appId: string; secret: string };
  app: { appId: string };
  /** Derives each test user's openid under each app (openids are per app id, like the real ones). */
  openidSecret: string;
}

export function generateWechatApps(): WechatAppKeys {
  const appId = () => `wx${randomBytes(8).toString('hex')}`;
  const secret = () => randomBytes(16).toString('hex');
  return {
    oa: { appId: appId(), secret: secret() },
    mini: { appId: appId(), secret: secret() },
    app: { appId: appId() },
    openidSecret: randomBytes(32).toString('hex'),
  };
}

/** The WeChat users a tester can be (the authorize page and the simulated clients offer them). */
export const TEST_USERS = ['alice', 'bob', 'chen'] as const;
export type TestUser = (typeof TEST_USERS)[number];
export const isTestUser = (v: unknown): v is TestUser => (TEST_USERS as readonly unknown[]).includes(v);

/** 28 characters starting with `o`, like a real openid; the same user under another app gets another one. */
export function openidOf(keys: WechatAppKeys, appId: string, user: TestUser): string {
  const mac = createHmac('sha256', keys.openidSecret).update(`${appId}\n${user}`).digest('base64url');
  return `o${mac.slice(0, 27)}`;
}

/** Which app and user an openid is, if any of this sandbox's. */
export function whoseOpenid(keys: WechatAppKeys, openid: string): { appId: string; user: TestUser } | undefined {
  for (const appId of [keys.oa.appId, keys.mini.appId, keys.app.appId])
    for (const user of TEST_USERS) if (openidOf(keys, appId, user) === openid) return { appId, user };
  return undefined;
}
