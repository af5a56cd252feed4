import { Hono } from 'hono';
import { currentAlerts } from '../alerts/alerts.ts';
import { AppError } from '../lib/errors.ts';
import { findDifferenceById, listDifferences } from '../reconciliation/reconciliation.repository.ts';
import { resolveDifference } from '../reconciliation/resolve-difference.ts';
import { errorText } from './error-page.tsx';
import { PROVIDERS } from './pages/console-notifications.tsx';
import {
  ConsoleReconciliationPage,
  STATUS_VIEWS,
  type DifferenceWithStaff,
  type StatusView,
} from './pages/console-reconciliation.tsx';
import { findRefundWithOrder } from '../refunds/refunds.repository.ts';
import { loadWeb, needStaff, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';

/** As the API accepts it (reconciliation.routes.ts). */
const NOTE_MAX = 1000;

/**
 * Staff see the reconciliation differences (by default the unsettled ones: flagged and open) and close a
 * flagged one with a note of what they found and did, through the same service as the API.
 */
export function consoleReconciliationRoutes(deps: WebDeps) {
  const app = new Hono();

  const differences = async (status: StatusView, provider: string | undefined): Promise<DifferenceWithStaff[]> => {
    if (status !== 'unsettled')
      return listDifferences(deps.db, { provider, status: status === 'all' ? undefined : status });
    const [flagged, open] = await Promise.all([
      listDifferences(deps.db, { provider, status: 'flagged' }),
      listDifferences(deps.db, { provider, status: 'open' }),
    ]);
    return [...flagged, ...open].sort((a, b) => b.id - a.id);
  };

  /** Refund numbers that are ours: only those have a page to link to. */
  const refundPages = async (rows: DifferenceWithStaff[]): Promise<Set<string>> => {
    const numbers = [...new Set(rows.flatMap((d) => (d.refund_no ? [d.refund_no] : [])))];
    const found = await Promise.all(numbers.map((n) => findRefundWithOrder(deps.db, n)));
    return new Set(found.flatMap((r) => (r ? [r.refund_no] : [])));
  };

  const page = async (
    web: Web,
    status: StatusView,
    provider: string | undefined,
    extra: { notice?: string; error?: string } = {},
  ) => {
    const [alerts, rows] = await Promise.all([currentAlerts(deps.db, deps.clock), differences(status, provider)]);
    return ConsoleReconciliationPage({
      web,
      alerts,
      status,
      provider,
      differences: rows,
      refundPages: await refundPages(rows),
      ...extra,
    });
  };

  app.get('/console/reconciliation', async (c) => {
    const web = await loadWeb(c, deps);
    needStaff(web);
    const status = STATUS_VIEWS.find((s) => s === c.req.query('status')) ?? 'unsettled';
    const provider = PROVIDERS.find((p) => p === c.req.query('provider'));
    // After resolving: the difference read back by id (never text from the URL), named only if it is resolved.
    const resolvedId = Number(c.req.query('resolved'));
    const resolved =
      Number.isSafeInteger(resolvedId) && resolvedId > 0 ? await findDifferenceById(deps.db, resolvedId) : undefined;
    const notice =
      resolved?.status === 'resolved' ? web.t((m) => m.reconciliationPage.resolved, { id: resolved.id }) : undefined;
    return c.html(await page(web, status, provider, { notice }));
  });

  app.post('/console/reconciliation/:id/resolve', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const staff = needStaff(web);
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', `no difference ${c.req.param('id')}`);
    const note = typeof form.note === 'string' ? form.note.trim() : '';
    if (!note || note.length > NOTE_MAX) {
      return c.html(
        await page(web, 'unsettled', undefined, { error: web.t((m) => m.reconciliationPage.noteRequired, { id }) }),
        422,
      );
    }
    try {
      await resolveDifference({ db: deps.db, clock: deps.clock }, staff, id, note);
      return c.redirect(web.href(`/console/reconciliation?resolved=${id}`), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const error =
        err.code === 'invalid_state'
          ? web.t((m) => m.reconciliationPage.alreadyResolved, { id })
          : `#${id}: ${errorText(web, err)}`;
      return c.html(await page(web, 'unsettled', undefined, { error }), err.status as 409);
    }
  });

  return app;
}
