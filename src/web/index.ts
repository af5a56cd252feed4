import { Hono } from 'hono';
import { consoleRoutes } from './console.routes.tsx';
import { consoleNotificationsRoutes } from './console-notifications.routes.tsx';
import { consoleReconciliationRoutes } from './console-reconciliation.routes.tsx';
import { consolePaymentCodeRoutes } from './console-payment-code.routes.tsx';
import { createCsrf } from './csrf.ts';
import { refuseControlCharactersInForms } from './form-characters.ts';
import { pageErrorHandler } from './error-page.tsx';
import { noticesRoutes } from './notices.routes.tsx';
import { ordersRoutes } from './orders.routes.tsx';
import { paymentRoutes } from './payment.routes.tsx';
import { PAGE_PATHS, securityHeaders } from './security-headers.ts';
import { shopRoutes } from './shop.routes.tsx';
import { staticRoutes } from './static.routes.ts';
import type { WebDeps } from './web-deps.ts';

export type { WebDeps } from './web-deps.ts';

/**
 * The customer pages and the staff console, server-rendered. Mounted at `/` after /api, /notify and
 * /return; it registers only its own paths and no `*` middleware, so the API and the provider endpoints
 * never run page code (no cookie auth, no anti-forgery check on a provider's notification). Every page
 * gets a Content-Security-Policy (security-headers.ts).
 */
export function webRoutes(
  deps: Omit<WebDeps, 'csrf' | 'pollIntervalMs'> & Partial<Pick<WebDeps, 'csrf' | 'pollIntervalMs'>>,
) {
  const full: WebDeps = { ...deps, csrf: deps.csrf ?? createCsrf(), pollIntervalMs: deps.pollIntervalMs ?? 1500 };
  const app = new Hono();
  app.onError(pageErrorHandler(full));
  for (const path of PAGE_PATHS) app.use(path, securityHeaders, refuseControlCharactersInForms);
  app.route('/', staticRoutes());
  app.route('/', shopRoutes(full));
  app.route('/', paymentRoutes(full));
  app.route('/', ordersRoutes(full));
  app.route('/', noticesRoutes(full));
  app.route('/', consoleRoutes(full));
  app.route('/', consoleNotificationsRoutes(full));
  app.route('/', consoleReconciliationRoutes(full));
  app.route('/', consolePaymentCodeRoutes(full));
  return app;
}
