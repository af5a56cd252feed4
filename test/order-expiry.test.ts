import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../src/lib/jobs.ts';
import { silentLogger } from '../src/lib/log.ts';
import { stockOf, testApp, type TestApp } from './support/app.ts';

describe('unpaid orders close after their TTL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { ORDER_TTL_SECONDS: '600' } });
  });
  afterAll(() => t.close());

  it('closes the order through the job worker at its TTL, not before, and gives the stock back', async () => {
    const before = await stockOf(t.db, 'MUG-CELADON');
    const placed = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'MUG-CELADON', quantity: 4 }] },
    });
    t.clock.advance(599_000);
    await t.worker.drain();
    expect((await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'customer' })).body.status).toBe(
      'pending_payment',
    );
    t.clock.advance(1_000);
    await t.worker.drain();
    const order = await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'customer' });
    expect(order.body.status).toBe('closed');
    expect(await stockOf(t.db, 'MUG-CELADON')).toBe(before);
    expect(await t.db.query('SELECT 1 FROM jobs')).toEqual([]);
  });

  it('still closes an order placed before a restart: the job lives in the database', async () => {
    const before = await stockOf(t.db, 'FAN-SILK');
    const placed = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'FAN-SILK', quantity: 2 }] },
    });
    // A new app and worker on the same database stand for the process after a restart.
    const restarted = await testApp({ db: t.db, clock: t.clock, env: { ORDER_TTL_SECONDS: '600' } });
    t.clock.advance(600_000);
    await restarted.worker.drain();
    expect((await restarted.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'customer' })).body.status).toBe(
      'closed',
    );
    expect(await stockOf(t.db, 'FAN-SILK')).toBe(before);
  });

  it('runs a job held by a crashed worker again once its lease has passed', async () => {
    const before = await stockOf(t.db, 'MUG-CELADON');
    const placed = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'MUG-CELADON', quantity: 1 }] },
    });
    t.clock.advance(600_000);
    // A worker claims the job and dies before running it: the claim is all that happens.
    const crashed = createWorker({
      db: t.db,
      clock: t.clock,
      log: silentLogger,
      handlers: { 'order.expire': () => new Promise(() => {}) },
      leaseMs: 30_000,
    });
    void crashed.drain();
    await new Promise((r) => setTimeout(r, 200));
    await t.worker.drain();
    expect((await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'customer' })).body.status).toBe(
      'pending_payment',
    );
    t.clock.advance(30_000);
    await t.worker.drain();
    expect((await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'customer' })).body.status).toBe('closed');
    expect(await stockOf(t.db, 'MUG-CELADON')).toBe(before);
  });
});
