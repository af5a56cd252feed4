import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { currentAlerts } from '../src/alerts/alerts.ts';
import { enqueue } from '../src/lib/jobs.ts';
import { createDifferenceLog } from '../src/reconciliation/differences.ts';
import type { NewDifference } from '../src/reconciliation/reconciliation.repository.ts';
import { testApp, type TestApp } from './support/app.ts';

const MINUTE = 60_000;

describe('alerts computed from the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.db.query('DELETE FROM jobs');
    await t.db.query('DELETE FROM reconciliation_differences');
  });

  const alerts = () => currentAlerts(t.db, t.clock);
  const difference = (n: number, provider: string | null): NewDifference => ({
    key: `test:${provider}:${n}`,
    source: provider ? 'bill' : 'checker',
    provider,
    billDate: provider ? '2026-11-24' : null,
    kind: provider ? 'payment_amount_differs' : 'order_status_inconsistent',
    paymentNo: null,
    refundNo: null,
    orderNo: null,
    providerAmount: null,
    ourAmount: null,
    detail: 'seeded by a test',
  });

  it('reports open and flagged reconciliation differences per provider, and leaves resolved ones out', async () => {
    const note = createDifferenceLog({ db: t.db, clock: t.clock });
    expect(await alerts()).toEqual([]);
    await note(difference(1, 'alipay'), async () => ({ status: 'flagged', remedy: 'flagged for staff' }));
    await note(difference(2, 'alipay'), async () => ({ status: 'flagged', remedy: 'flagged for staff' }));
    await note(difference(3, 'alipay'), async () => ({ status: 'resolved', remedy: 'applied after a query' }));
    await note(difference(4, 'unionpay'), async () => ({ status: 'resolved', remedy: 'applied after a query' }));
    await note(difference(5, null), async () => ({ status: 'flagged', remedy: 'flagged for staff' }));
    const found = await alerts();
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'reconciliation_differences_open',
        provider: 'alipay',
        count: 2,
        since: t.clock.now(),
      }),
      expect.objectContaining({ kind: 'reconciliation_differences_open', count: 1 }),
    ]);
    expect(found[1]).not.toHaveProperty('provider');
  });

  it('lets staff close a flagged difference with a note, once: who and what are kept, and the alert clears', async () => {
    const note = createDifferenceLog({ db: t.db, clock: t.clock });
    await note(difference(6, 'wechatpay'), async () => ({ status: 'flagged', remedy: 'flagged for staff' }));
    const [row] = await t.db.query<{ id: number }>(
      `SELECT id FROM reconciliation_differences WHERE key = 'test:wechatpay:6'`,
    );
    const id = Number(row!.id);
    const resolve = (as: 'customer' | 'support', body: unknown, which = id) =>
      t.call('POST', `/api/admin/reconciliation/differences/${which}/resolve`, { as, body });
    expect(await alerts()).toMatchObject([
      { kind: 'reconciliation_differences_open', provider: 'wechatpay', count: 1 },
    ]);

    expect((await resolve('customer', { note: 'mine' })).status).toBe(403);
    expect((await resolve('support', { note: '  ' })).status).toBe(422);
    expect((await resolve('support', { note: 'ok' }, 999_999)).body.error.code).toBe('not_found');
    expect(
      (await t.db.query<{ status: string }>('SELECT status FROM reconciliation_differences WHERE id = $1', [id]))[0]!
        .status,
    ).toBe('flagged');

    t.clock.advance(MINUTE);
    const done = await resolve('support', {
      note: 'WeChat booked a merchant-platform adjustment; confirmed with their support, ticket 4711',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id,
      status: 'resolved',
      resolvedBy: 'support@demo.test',
      resolutionNote: expect.stringContaining('ticket 4711'),
      resolvedAt: t.clock.now().toISOString(),
    });
    expect(await alerts()).toEqual([]);
    // A second close (another staff member at the same moment, say) changes nothing.
    const again = await resolve('support', { note: 'me too' });
    expect([again.status, again.body.error.code]).toEqual([409, 'invalid_state']);
    const listed = (await t.call('GET', '/api/admin/reconciliation?status=resolved', { as: 'support' })).body
      .differences;
    expect(listed).toMatchObject([
      { id, resolvedBy: 'support@demo.test', resolutionNote: expect.stringContaining('ticket 4711') },
    ]);
  });

  it('reports jobs due more than five minutes ago that no worker runs, and dead jobs, but not jobs held under a lease', async () => {
    const started = t.clock.now();
    await enqueue(t.db, 'test.nobody_runs_me', {}, { runAt: started });
    t.clock.advance(4 * MINUTE);
    expect(await alerts()).toEqual([]);
    t.clock.advance(2 * MINUTE);
    expect(await alerts()).toEqual([expect.objectContaining({ kind: 'jobs_backing_up', count: 1, since: started })]);

    // A worker holding it under a lease is running it: not backing up.
    await t.db.query('UPDATE jobs SET locked_by = $1, locked_until = $2', [
      'w1',
      new Date(t.clock.now().getTime() + MINUTE),
    ]);
    expect(await alerts()).toEqual([]);

    // A job out of attempts is dead (the worker knows no handler for it): it stays an alert until staff act.
    await t.db.query('DELETE FROM jobs');
    await enqueue(t.db, 'test.no_handler', {}, { runAt: t.clock.now(), maxAttempts: 1 });
    await t.worker.drain();
    const [dead] = await t.db.query<{ dead_at: Date | null }>('SELECT dead_at FROM jobs');
    expect(dead!.dead_at).not.toBeNull();
    expect(await alerts()).toEqual([
      expect.objectContaining({
        kind: 'jobs_backing_up',
        count: 1,
        message: expect.stringMatching(/0 job\(s\) due.*1 dead/),
      }),
    ]);
  });

  it('lists the current alerts at /api/admin/alerts for staff only', async () => {
    await enqueue(t.db, 'test.nobody_runs_me', {}, { runAt: new Date(t.clock.now().getTime() - 10 * MINUTE) });
    const res = await t.call('GET', '/api/admin/alerts', { as: 'support' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        kind: 'jobs_backing_up',
        count: 1,
        since: expect.any(String),
        message: expect.stringContaining('1 job(s) due'),
      },
    ]);
    expect((await t.call('GET', '/api/admin/alerts', { as: 'customer' })).status).toBe(403);
    expect((await t.call('GET', '/api/admin/alerts')).status).toBe(401);
    expect(Object.keys((await t.call('GET', '/openapi.json')).body.paths)).toContain('/admin/alerts');
  });

  it('exports every alert kind as mallpay_alert at scrape time, with the count, and 0 for the quiet kinds', async () => {
    const scrape = async () => (await t.app.request('/metrics')).text();
    expect(await scrape()).toMatch(/^mallpay_alert\{kind="jobs_backing_up",provider=""\} 0$/m);
    await enqueue(t.db, 'test.a', {}, { runAt: new Date(t.clock.now().getTime() - 10 * MINUTE) });
    await enqueue(t.db, 'test.b', {}, { runAt: new Date(t.clock.now().getTime() - 10 * MINUTE) });
    const note = createDifferenceLog({ db: t.db, clock: t.clock });
    await note(difference(6, 'wechatpay'), async () => ({ status: 'flagged', remedy: 'flagged for staff' }));
    const text = await scrape();
    expect(text).toMatch(/^mallpay_alert\{kind="jobs_backing_up",provider=""\} 2$/m);
    expect(text).toMatch(/^mallpay_alert\{kind="reconciliation_differences_open",provider="wechatpay"\} 1$/m);
    expect(text).toMatch(/^mallpay_alert\{kind="notifications_silent",provider=""\} 0$/m);
  });
});
