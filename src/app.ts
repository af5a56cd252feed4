import { OpenAPIHono } from '@hono/zod-openapi';
import { registerAlertGauge } from './alerts/alerts.metrics.ts';
import { alertsRoutes } from './alerts/alerts.routes.ts';
import { currentAlerts } from './alerts/alerts.ts';
import { accountsRoutes } from './accounts/accounts.routes.ts';
import { createAccountsService } from './accounts/accounts.service.ts';
import { catalogRoutes } from './catalog/catalog.routes.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { apiCsrf } from './http/api-csrf.ts';
import { authenticate } from './http/auth.ts';
import { edgeBodyLimits } from './http/body-limits.ts';
import { refuseControlCharactersInUrl } from './http/url-characters.ts';
import { mountDocs } from './http/docs.ts';
import type { AppEnv } from './http/env.ts';
import { notFoundHandler, onError } from './http/errors.ts';
import { createMetrics, observe } from './http/observability.ts';
import type { Clock } from './lib/clock.ts';
import type { JobHandler } from './lib/jobs.ts';
import { createRateLimiter, limitsOf } from './lib/rate-limit.ts';
import type { Logger } from './lib/log.ts';
import { createNotificationsService } from './notifications/notifications.service.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { notificationReplayRoutes } from './notifications/replay.routes.ts';
import { createNotificationReplay } from './notifications/replay.service.ts';
import { oversizedNotification, providerEndpoints } from './notifications/provider-endpoints.ts';
import { ordersRoutes } from './orders/orders.routes.ts';
import { createOrdersService, EXPIRE_ORDER_JOB } from './orders/orders.service.ts';
import { createPaymentStateService } from './payments/payment-state.service.ts';
import { paymentsRoutes } from './payments/payments.routes.ts';
import { createPaymentsService, POLL_PAYMENT_JOB } from './payments/payments.service.ts';
import type { Providers } from './providers/registry.ts';
import { noticeEmailJob } from './refunds/notice-email.ts';
import { SEND_NOTICE_EMAIL_JOB } from './refunds/refund-history.ts';
import { createRefundProcessing } from './refunds/refund-processing.service.ts';
import { refundsOfOrder } from './refunds/refund.view.ts';
import { refundsRoutes } from './refunds/refunds.routes.ts';
import { createRefundsService, DRIVE_REFUND_JOB } from './refunds/refunds.service.ts';
import { RETURN_SURPLUS_JOB } from './payments/payment-state.service.ts';
import { createConsistencyChecker } from './reconciliation/consistency.service.ts';
import { createDifferenceLog } from './reconciliation/differences.ts';
import { reconciliationRoutes } from './reconciliation/reconciliation.routes.ts';
import { createReconciliationService } from './reconciliation/reconciliation.service.ts';
import { operationsJobs } from './reconciliation/schedule.ts';
import { createCsrf } from './web/csrf.ts';
import { webRoutes } from './web/index.ts';

export interface AppDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Config;
  providers: Providers;
  /** Shared by all instances (app_secrets); a random one when absent (tests). */
  csrfSecret?: Buffer;
}

/** Builds the services from their dependencies and mounts the feature routers. No globals. */
export function createApp(deps: AppDeps) {
  const { db, clock, log, config, providers } = deps;
  const metrics = createMetrics();
  const limiter = createRateLimiter({ db, clock });
  const limits = limitsOf(config.rateLimits);
  const accounts = createAccountsService({ db, clock, limiter, limits });
  const orders = createOrdersService({ db, clock, orderTtlSeconds: config.orderTtlSeconds });
  const state = createPaymentStateService({ db, clock });
  const payments = createPaymentsService({ db, clock, log, providers, orders, state, publicUrl: config.publicUrl });
  const refunds = createRefundsService({ db, clock, dualApprovalAbove: config.refundDualApprovalAbove });
  const refundProcessing = createRefundProcessing({ db, clock, log, providers, publicUrl: config.publicUrl });
  const notifications = createNotificationsService({
    db,
    clock,
    log,
    metrics,
    state,
    onRefundEvent: refundProcessing.onRefundEvent,
  });
  const replay = createNotificationReplay({ db, providers, notifications });
  const refundsOf = refundsOfOrder;
  const note = createDifferenceLog({ db, clock });
  const reconciliation = createReconciliationService({ db, clock, log, state, refunds: refundProcessing, note });
  const checker = createConsistencyChecker({
    db,
    clock,
    log,
    providers,
    payments,
    state,
    refunds: refundProcessing,
    note,
  });
  registerAlertGauge(metrics.registry, () => currentAlerts(db, clock), log);

  const api = new OpenAPIHono<AppEnv>();
  api.use('*', apiCsrf(config.publicUrl), authenticate(accounts));
  api.route('/', accountsRoutes(accounts, { secureCookies: config.publicUrl.startsWith('https:') }));
  api.route('/', catalogRoutes(db));
  api.route('/', ordersRoutes({ db, orders, payments, refundsOf, limiter, limits }));
  api.route('/', paymentsRoutes({ db, providers, payments }));
  api.route('/', notificationsRoutes(db));
  api.route('/', refundsRoutes({ db, refunds }));
  api.route('/', reconciliationRoutes(db, clock));
  api.route('/', notificationReplayRoutes(replay));
  api.route('/', alertsRoutes({ db, clock }));

  const app = new OpenAPIHono<AppEnv>();
  app.use('*', observe(log, metrics));
  // The edge (docs/reliability.md, Edges): a body limit for every route, then no control character in an
  // address outside the provider endpoints (whose messages are judged and answered in their own format).
  app.use('*', edgeBodyLimits({ providers, onOversizedNotification: oversizedNotification({ providers, metrics }) }));
  app.use('*', async (c, next) =>
    /^\/(notify|return)\//.test(c.req.path) ? next() : refuseControlCharactersInUrl(c, next),
  );
  app.onError(onError);
  app.notFound(notFoundHandler);
  app.route('/api', api);
  app.route(
    '/',
    providerEndpoints({
      db,
      clock,
      metrics,
      providers,
      notifications,
      payments,
      accounts,
      unverifiedPerMinute: config.rateLimits.unverifiedNotificationsPerMinute,
    }),
  );
  app.route(
    '/',
    webRoutes({
      db,
      clock,
      providers,
      accounts,
      orders,
      payments,
      refunds,
      replay,
      secureCookies: config.publicUrl.startsWith('https:'),
      csrf: createCsrf(deps.csrfSecret),
    }),
  );
  mountDocs(app, api);
  app.get('/healthz', async (c) => {
    try {
      await db.query('SELECT 1');
      return c.json({ status: 'ok', database: db.kind });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  app.get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );

  const jobs: Record<string, JobHandler> = {
    [EXPIRE_ORDER_JOB]: async (payload) => {
      const orderNo = String(payload.orderNo);
      const order = await orders.findOpen(orderNo);
      if (!order) return;
      if (order.expires_at > clock.now()) return { again: order.expires_at };
      const outcome = await payments.closeOrder(orderNo);
      if (outcome === 'retry') throw new Error(`could not close the attempts of ${orderNo} at their providers yet`);
    },
    [POLL_PAYMENT_JOB]: (payload) => payments.poll(String(payload.paymentNo)),
    [RETURN_SURPLUS_JOB]: (payload) => refundProcessing.returnSurplus(String(payload.paymentNo)),
    [DRIVE_REFUND_JOB]: (payload) => refundProcessing.drive(String(payload.refundNo)),
    [SEND_NOTICE_EMAIL_JOB]: noticeEmailJob({ db, smtpUrl: config.smtpUrl, from: config.smtpFrom }),
    ...operationsJobs({ db, clock, providers, reconciliation, checker }),
  };

  return {
    app,
    jobs,
    metrics,
    providers,
    services: { accounts, orders, payments, notifications, refunds, refundProcessing, reconciliation, checker },
  };
}

export type App = ReturnType<typeof createApp>;
