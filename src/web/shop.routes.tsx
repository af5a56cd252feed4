import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomUUID } from 'node:crypto';
import { SESSION_COOKIE, sessionCookieOptions } from '../accounts/accounts.ts';
import { cartText, parseCart } from '../catalog/catalog.ts';
import { AppError } from '../lib/errors.ts';
import { MAX_QUANTITY } from '../orders/order.ts';
import { CartPage, type CartLine } from './pages/cart.tsx';
import { LoginPage } from './pages/login.tsx';
import { ProductPage, StorefrontPage } from './pages/storefront.tsx';
import { errorText } from './error-text.ts';
import { productsBySku } from './shop.service.ts';
import { loadWeb, needCustomer, safeNext, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';
import { clientIp } from '../http/client-ip.ts';

/** A quantity field as the number input sends it: empty (not chosen) or up to MAX_QUANTITY's three digits. */
const QUANTITY = new RegExp(`^(|\\d{1,${String(MAX_QUANTITY).length}})$`);

/** The cart lives in a cookie (`SKU:qty,…`): it needs no account and survives logging in. */
const CART_COOKIE = 'mallpay_cart';

/** The storefront, a product, the cart, placing an order, logging in and out. */
export function shopRoutes(deps: WebDeps) {
  const app = new Hono();

  const saveCart = (c: Context, cart: Map<string, number>) =>
    setCookie(c, CART_COOKIE, cartText(cart), {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: 30 * 24 * 3600,
      secure: deps.secureCookies,
    });

  const cartPage = async (
    web: Web,
    cart: Map<string, number>,
    errors: { page?: string; bySku?: Map<string, string> } = {},
  ) => {
    const products = await productsBySku(deps.db, web.lang, [...cart.keys()]);
    const lines: CartLine[] = [...cart]
      .filter(([sku]) => products.has(sku))
      .map(([sku, quantity]) => ({ product: products.get(sku)!, quantity, error: errors.bySku?.get(sku) }));
    return CartPage({ web, lines, error: errors.page, orderKey: randomUUID() });
  };

  app.get('/', async (c) => {
    const web = await loadWeb(c, deps);
    return c.html(StorefrontPage({ web, products: [...(await productsBySku(deps.db, web.lang)).values()] }));
  });

  app.get('/products/:sku', async (c) => {
    const web = await loadWeb(c, deps);
    const product = (await productsBySku(deps.db, web.lang, [c.req.param('sku')])).get(c.req.param('sku'));
    if (!product) throw new AppError('not_found', 'no such product');
    return c.html(ProductPage({ web, product }));
  });

  app.get('/cart', async (c) => {
    const web = await loadWeb(c, deps);
    return c.html(await cartPage(web, parseCart(getCookie(c, CART_COOKIE))));
  });

  /** Adds a quantity of one product to the cart. */
  app.post('/cart', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const cart = parseCart(getCookie(c, CART_COOKIE));
    const sku = String(form.sku ?? '');
    const typed = typeof form.quantity === 'string' && QUANTITY.test(form.quantity) ? Number(form.quantity) : 0;
    const known = (await productsBySku(deps.db, web.lang, [sku])).has(sku);
    if (known && typed > 0) cart.set(sku, Math.min(MAX_QUANTITY, (cart.get(sku) ?? 0) + typed));
    saveCart(c, cart);
    return c.redirect(web.href('/cart'), 303);
  });

  /** The cart's form: "Update" keeps the typed quantities; "Place order" orders them. */
  app.post('/orders', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const fields = Object.entries(form).filter(([k]) => k.startsWith('qty.'));
    // Plain decimal digits only: Number() would also read `0x10` as 16, `1e1` as 10 and ` 2` as 2.
    if (fields.some(([, v]) => typeof v !== 'string' || !QUANTITY.test(v)))
      return c.html(await cartPage(web, parseCart(getCookie(c, CART_COOKIE)), { page: web.m.shop.badQuantity }), 422);
    const cart = new Map<string, number>();
    for (const [k, v] of fields) if (Number(v) > 0) cart.set(k.slice(4), Number(v));
    saveCart(c, cart);
    if (form.action === 'update') return c.redirect(web.href('/cart'), 303);
    // Not logged in yet: the cart is kept (in its cookie) and the customer comes back to it after logging in.
    if (!web.user) return c.redirect(web.href(`/login?next=${encodeURIComponent('/cart')}`), 303);
    const user = needCustomer(web);
    if (cart.size === 0) return c.html(await cartPage(web, cart, { page: web.m.shop.nothingChosen }), 422);
    try {
      const placed = await deps.orders.place(
        user,
        [...cart].map(([sku, quantity]) => ({ sku, quantity })),
        typeof form.orderKey === 'string' ? form.orderKey : undefined,
      );
      const { orderNo } = placed.body as { orderNo: string };
      saveCart(c, new Map());
      return c.redirect(web.href(`/checkout/${orderNo}`), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const products = await productsBySku(deps.db, web.lang, [...cart.keys()]);
      const productName = (sku: string) => products.get(sku)?.name ?? sku;
      // A refusal about particular products is said beside each of them, with what is left.
      const skus = ((err.details ?? {}) as { skus?: string[] }).skus ?? [];
      const bySku = new Map(
        skus.map((sku) => [
          sku,
          err.code === 'out_of_stock'
            ? web.t((m) => m.errors.lineOutOfStock, { count: products.get(sku)?.stock ?? 0 })
            : errorText(web, err, { productName }),
        ]),
      );
      return c.html(
        await cartPage(web, cart, { page: errorText(web, err, { productName }), bySku }),
        err.status as 409,
      );
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
