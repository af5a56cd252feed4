import { OpenAPIHono } from '@hono/zod-openapi';
import { registerAlertGauge } from './alerts/alerts.metrics.ts';
import { alertsRoutes } from './alerts/alerts.routes.ts';
import { currentAlerts } from './alerts/alerts.ts';
import { accountsRoutes } from './accounts/accounts.routes.ts';
import { createAccountsService } from './accounts/accounts.service.ts';
import { catalogRoutes } from './catalog/catalog.routes.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { ping } from './db/health.ts';
import { apiCsrf } from './http/api-csrf.ts';
import { authenticate } from './http/auth.ts';
import { edgeBodyLimits } from './http/body-limits.ts';
import { refuseControlCharactersInUrl } from './http/url-characters.ts';
import { mountDocs } from './http/docs.ts';
import type { AppEnv } from './http/env.ts';
import { notFoundHandler, onError } from './http/errors.ts';
import { createMetrics, observe } from './http/observability.ts';
import type { Clock } from './lib/clock.ts';
import { jobHandler, type JobHandlers } from './lib/jobs.ts';
import { createRateLimiter, limitsOf } from './lib/rate-limit.ts';
import type { Logger } from './lib/log.ts';
import { createNotificationsService } from './notifications/notifications.service.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { notificationReplayRoutes } from './notifications/replay.routes.ts';
import { createNotificationReplay } from './notifications/replay.service.ts';
import { oversizedNotification, providerEndpoints } from './notifications/provider-endpoints.ts';
import { ordersRoutes } from './orders/orders.routes.ts';
import { expireOrderJob } from './orders/order-expiry.job.ts';
import { createOrdersService } from './orders/orders.service.ts';
import { createPaymentStateService } from './payments/payment-state.service.ts';
import { paymentsRoutes } from './payments/payments.routes.ts';
import { createPaymentsService } from './payments/payments.service.ts';
import { createPaymentCodeService } from './payments/payment-code.service.ts';
import { paymentCodeRoutes } from './payments/payment-code.routes.ts';
import type { Providers } from './providers/registry.ts';
import { noticeEmailJob } from './notices/notice-email.ts';
import { noticesRoutes } from './notices/notices.routes.ts';
import { createRefundProcessing } from './refunds/refund-processing.service.ts';
import { refundsOfOrder } from './refunds/refund.view.ts';
import { paymentsOfOrder } from './payments/payment.view.ts';
import { refundsRoutes } from './refunds/refunds.routes.ts';
import { createRefundsService } from './refunds/refunds.service.ts';
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
  const orders = createOrdersService({
    db,
    clock,
    orderTtlSeconds: config.orderTtlSeconds,
    stockHolds: config.stockHolds,
  });
  const state = createPaymentStateService({ db, clock });
  const payments = createPaymentsService({ db, clock, log, providers, orders, state, publicUrl: config.publicUrl });
  const paymentCodes = createPaymentCodeService({
    ...{ db, clock, log, providers, orders, state, payments },
    publicUrl: config.publicUrl,
  });
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
  const parts = { paymentsOf: paymentsOfOrder, refundsOf: refundsOfOrder };
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
  api.route('/', ordersRoutes({ db, orders, payments, parts, limiter, limits }));
  api.route('/', paymentsRoutes({ db, providers, payments }));
  api.route('/', paymentCodeRoutes({ paymentCodes }));
  api.route('/', notificationsRoutes(db));
  api.route('/', refundsRoutes({ db, refunds }));
  api.route('/', noticesRoutes({ db }));
  api.route('/', reconciliationRoutes(db, clock));
  api.route('/', notificationReplayRoutes(replay));
  api.route('/', alertsRoutes({ db, clock }));

  const app = new OpenAPIHono<AppEnv>();
  app.use('*', observe(log, metrics));
  // The edge (docs/reliability.md, Edges): a body limit for every route, then no control character in an
  // address outside the provider endpoints (whose messages are judged and answered in their own format) and the
  // login page (whose `next` is cleaned as the URL standard does and else replaced by `/`: a mangled link still
  // shows the login form).
  app.use('*', edgeBodyLimits({ providers, onOversizedNotification: oversizedNotification({ providers, metrics }) }));
  app.use('*', async (c, next) =>
    /^\/(notify\/|return\/|login$)/.test(c.req.path) ? next() : refuseControlCharactersInUrl(c, next),
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
      paymentCodes,
      refunds,
      replay,
      publicUrl: config.publicUrl,
      secureCookies: config.publicUrl.startsWith('https:'),
      csrf: createCsrf(deps.csrfSecret),
    }),
  );
  mountDocs(app, api);
  app.get('/healthz', async (c) => {
    try {
      await ping(db);
      return c.json({ status: 'ok', database: db.kind });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  app.get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );

  const ops = operationsJobs({ db, clock, providers, reconciliation, checker });
  const jobs: JobHandlers = {
    'order.expire': expireOrderJob({ orders, clock, closeOrder: payments.closeOrder }),
    'payment.poll': jobHandler('payment.poll', ({ paymentNo }) => payments.poll(paymentNo)),
    'payment.code_deadline': jobHandler('payment.code_deadline', ({ paymentNo }) => paymentCodes.deadline(paymentNo)),
    'payment.return_surplus': jobHandler('payment.return_surplus', ({ paymentNo }) =>
      refundProcessing.returnSurplus(paymentNo),
    ),
    'refund.drive': jobHandler('refund.drive', ({ refundNo }) => refundProcessing.drive(refundNo)),
    'notice.email': noticeEmailJob({ db, smtpUrl: config.smtpUrl, from: config.smtpFrom }),
    ...ops,
  };

  return {
    app,
    jobs,
    metrics,
    providers,
    services: {
      accounts,
      orders,
      payments,
      paymentCodes,
      notifications,
      refunds,
      refundProcessing,
      reconciliation,
      checker,
    },
  };
}

export type App = ReturnType<typeof createApp>;
