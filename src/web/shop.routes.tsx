import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomUUID } from 'node:crypto';
import { SESSION_COOKIE, sessionCookieOptions } from '../accounts/accounts.ts';
import { listProducts } from '../catalog/catalog.repository.ts';
import { AppError } from '../lib/errors.ts';
import { MAX_QUANTITY } from '../orders/order.ts';
import { LoginPage } from './pages/login.tsx';
import { StorefrontPage } from './pages/storefront.tsx';
import { errorText } from './error-page.tsx';
import { loadWeb, needCustomer, safeNext } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';
import { clientIp } from '../http/client-ip.ts';

/** A quantity field as the number input sends it: empty (not chosen) or up to MAX_QUANTITY's three digits. */
const QUANTITY = new RegExp(`^(|\\d{1,${String(MAX_QUANTITY).length}})$`);

/** The storefront, placing an order, logging in and out. */
export function shopRoutes(deps: WebDeps) {
  const app = new Hono();
  const storefront = async (web: Awaited<ReturnType<typeof loadWeb>>, error?: string) =>
    StorefrontPage({ web, products: await listProducts(deps.db), error, orderKey: randomUUID() });

  app.get('/', async (c) => c.html(await storefront(await loadWeb(c, deps))));

  app.post('/orders', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const user = needCustomer(web);
    const fields = Object.entries(form).filter(([k]) => k.startsWith('qty.'));
    // Plain decimal digits only: Number() would also read `0x10` as 16, `1e1` as 10 and ` 2` as 2.
    if (fields.some(([, v]) => typeof v !== 'string' || !QUANTITY.test(v)))
      return c.html(await storefront(web, web.m.shop.badQuantity), 422);
    const lines = fields
      .filter(([, v]) => v !== '')
      .map(([k, v]) => ({ sku: k.slice(4), quantity: Number(v) }))
      .filter((l) => l.quantity > 0);
    if (lines.length === 0) return c.html(await storefront(web, web.m.shop.nothingChosen), 422);
    try {
      const placed = await deps.orders.place(
        user,
        lines,
        typeof form.orderKey === 'string' ? form.orderKey : undefined,
      );
      const { orderNo } = placed.body as { orderNo: string };
      return c.redirect(web.href(`/checkout/${orderNo}`), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return c.html(await storefront(web, errorText(web, err)), err.status as 409);
    }
  });

  app.get('/login', async (c) => {
    const web = await loadWeb(c, deps);
    return c.html(LoginPage({ web, next: safeNext(c.req.query('next')) }));
  });

  app.post('/login', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const next = safeNext(form.next);
    const email = String(form.email ?? '');
    try {
      const { token } = await deps.accounts.login(email, String(form.password ?? ''), clientIp(c));
      setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(deps.secureCookies));
      return c.redirect(web.href(next), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid_credentials') throw err;
      return c.html(LoginPage({ web, next, failed: true, email }), 401);
    }
  });

  app.post('/logout', async (c) => {
    const web = await loadWeb(c, deps);
    web.checkCsrf(await c.req.parseBody());
    const session = getCookie(c, SESSION_COOKIE);
    if (session) await deps.accounts.logout(session);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect(web.href('/'), 303);
  });

  return app;
}
