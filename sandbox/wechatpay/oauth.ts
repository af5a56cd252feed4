import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Clock } from '../../src/lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import { isTestUser, openidOf, TEST_USERS, type TestUser, type WechatAppKeys } from './apps.ts';
import { esc, page } from './cashier.ts';
import { cashierLang } from '../shared/cashier-lang.ts';
import { cashierWords } from '../shared/cashier-text.ts';

/** A code lives 5 minutes and is good once (网页授权 and wx.login docs); WeChat's own errcodes and wording. */
const CODE_TTL_MS = 5 * 60_000;
const INVALID_CODE = { errcode: 40029, errmsg: 'invalid code' };
const USED_CODE = { errcode: 40163, errmsg: 'code been used' };
const INVALID_SECRET = { errcode: 40125, errmsg: 'invalid appsecret' };
const INVALID_APPID = { errcode: 40013, errmsg: 'invalid appid' };

interface CodeRecord {
  appId: string;
  user: TestUser;
  /** Which exchange takes it: an OAuth code is no good at jscode2session, nor the other way round. */
  purpose: 'oauth' | 'mini';
  issuedAt: string;
  used: boolean;
}

/**
 * WeChat's side of "who pays" (issue 15): the official account's OAuth authorize page (`open` host) and the
 * API host's `sns/oauth2/access_token` and `sns/jscode2session`, mounted under the sandbox at `/open` and
 * `/api` (the WECHAT_OAUTH_BASE_URL and WECHAT_API_BASE_URL the sandbox's merchant is given). Real snsapi_base
 * is silent inside WeChat; the sandbox shows its test users to pick who is paying.
 */
export function oauthRoutes(deps: { store: RecordStore; clock: Clock; apps: WechatAppKeys; publicUrl: string }) {
  const { store, clock, apps } = deps;
  const app = new Hono();
  const rid = () => randomBytes(4).toString('hex');

  async function issue(appId: string, user: TestUser, purpose: CodeRecord['purpose']): Promise<string> {
    // 32 characters, like WeChat's codes.
    const code = randomBytes(24).toString('base64url');
    await store.insert<CodeRecord>('code', code, {
      appId,
      user,
      purpose,
      issuedAt: clock.now().toISOString(),
      used: false,
    });
    return code;
  }

  /** Spends a code: once, within 5 minutes, at the exchange and for the app it was issued for. */
  async function spend(code: string, appId: string, purpose: CodeRecord['purpose']) {
    return store.withLock<CodeRecord, { openid: string } | { errcode: number; errmsg: string }>(
      'code',
      code,
      async (rec, sql) => {
        if (!rec || rec.appId !== appId || rec.purpose !== purpose) return INVALID_CODE;
        if (rec.used) return USED_CODE;
        if (clock.now().getTime() - new Date(rec.issuedAt).getTime() > CODE_TTL_MS) return INVALID_CODE;
        await store.put('code', code, { ...rec, used: true }, sql);
        return { openid: openidOf(apps, appId, rec.user) };
      },
    );
  }

  /** Only the shop's own origin is a configured 网页授权域名; WeChat's page for a foreign one says 10003. */
  const allowedRedirect = (v: string | undefined): string | null => {
    try {
      const u = new URL(v ?? '');
      return u.origin === new URL(deps.publicUrl).origin ? u.toString() : null;
    } catch {
      return null;
    }
  };

  app.get('/open/connect/oauth2/authorize', (c) => {
    const q = c.req.query();
    if (q.appid !== apps.oa.appId)
      return c.html(
        page(
          cashierWords(cashierLang(c)),
          'Error',
          '<h1>参数错误 · invalid appid</h1><p>appid is not an official account of this sandbox.</p>',
        ),
        400,
      );
    const redirect = allowedRedirect(q.redirect_uri);
    if (!redirect)
      return c.html(
        page(
          cashierWords(cashierLang(c)),
          'Error',
          '<h1>10003 redirect_uri 域名与后台配置不一致</h1><p>redirect_uri must be on the shop’s own origin.</p>',
        ),
        400,
      );
    if (q.response_type !== 'code' || (q.scope !== 'snsapi_base' && q.scope !== 'snsapi_userinfo'))
      return c.html(page(cashierWords(cashierLang(c)), 'Error', '<h1>10005 scope 参数错误或没有 scope 权限</h1>'), 400);
    const state = (q.state ?? '').slice(0, 128);
    const hidden = `<input type="hidden" name="appid" value="${esc(q.appid)}"><input type="hidden" name="redirect_uri" value="${esc(redirect)}"><input type="hidden" name="state" value="${esc(state)}">`;
    const buttons = TEST_USERS.map(
      (u) =>
        `<form method="post">${hidden}<button class="pay" type="submit" name="user" value="${u}">${u}</button></form>`,
    ).join('');
    return c.html(
      page(
        cashierWords(cashierLang(c)),
        'Authorize',
        `<h1>WeChat OAuth (sandbox)</h1><p>Which WeChat user is paying? (snsapi_base is silent in real WeChat.)</p>${buttons}`,
      ),
    );
  });
  app.post('/open/connect/oauth2/authorize', async (c) => {
    const f = await c.req.parseBody();
    const redirect = allowedRedirect(typeof f.redirect_uri === 'string' ? f.redirect_uri : undefined);
    if (f.appid !== apps.oa.appId || !redirect || !isTestUser(f.user))
      return c.html(page(cashierWords(cashierLang(c)), 'Error', '<h1>参数错误</h1>'), 400);
    const to = new URL(redirect);
    to.searchParams.set('code', await issue(apps.oa.appId, f.user, 'oauth'));
    to.searchParams.set('state', typeof f.state === 'string' ? f.state.slice(0, 128) : '');
    return c.redirect(to.toString(), 302);
  });

  // WeChat answers these with HTTP 200 and an errcode in the body, never a 4xx.
  app.get('/api/sns/oauth2/access_token', async (c) => {
    const q = c.req.query();
    if (q.appid !== apps.oa.appId)
      return c.json({ ...INVALID_APPID, errmsg: `${INVALID_APPID.errmsg}, rid: ${rid()}` });
    if (q.secret !== apps.oa.secret) return c.json(INVALID_SECRET);
    if (q.grant_type !== 'authorization_code' || !q.code) return c.json(INVALID_CODE);
    const r = await spend(q.code, q.appid, 'oauth');
    if (!('openid' in r)) return c.json({ ...r, errmsg: `${r.errmsg}, rid: ${rid()}` });
    return c.json({
      access_token: randomBytes(32).toString('base64url'),
      expires_in: 7200,
      refresh_token: randomBytes(32).toString('base64url'),
      openid: r.openid,
      scope: 'snsapi_base',
    });
  });
  app.get('/api/sns/jscode2session', async (c) => {
    const q = c.req.query();
    if (q.appid !== apps.mini.appId) return c.json(INVALID_APPID);
    if (q.secret !== apps.mini.secret) return c.json(INVALID_SECRET);
    if (q.grant_type !== 'authorization_code' || !q.js_code) return c.json(INVALID_CODE);
    const r = await spend(q.js_code, q.appid, 'mini');
    if (!('openid' in r)) return c.json({ ...r, errmsg: `${r.errmsg}, rid: ${rid()}` });
    return c.json({ openid: r.openid, session_key: randomBytes(16).toString('base64') });
  });

  /** The simulated mini-program's `wx.login()`: a code for a test user (docs/sandbox/wechatpay.md). */
  app.post('/_control/mini-login', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { user?: unknown };
    const user = body.user ?? 'alice';
    if (!isTestUser(user))
      return c.json({ error: 'invalid_control', message: `user must be one of ${TEST_USERS.join(', ')}` }, 400);
    return c.json({ code: await issue(apps.mini.appId, user, 'mini'), openid: openidOf(apps, apps.mini.appId, user) });
  });
  /** A code as the authorize page would give it, for API clients and tests without a browser. */
  app.post('/_control/oauth-code', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { user?: unknown };
    const user = body.user ?? 'alice';
    if (!isTestUser(user))
      return c.json({ error: 'invalid_control', message: `user must be one of ${TEST_USERS.join(', ')}` }, 400);
    return c.json({ code: await issue(apps.oa.appId, user, 'oauth'), openid: openidOf(apps, apps.oa.appId, user) });
  });
  return app;
}
