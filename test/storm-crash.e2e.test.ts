import { describe, expect, it } from 'vitest';
import { runStorm } from './support/storm.ts';

/**
 * The storm again, with processes killed -9 at random moments while customers pay and refund (and
 * restarted on the same address): whatever was in flight, the books converge and nothing moves twice.
 * test/crash.e2e.test.ts kills at chosen points; this kills anywhere.
 */
const multi = !!process.env.DATABASE_URL;

describe('a storm with processes killed at random moments', () => {
  it('converges after every kill -9: no event lost, no money moved twice, nothing stuck', async () => {
    const report = await runStorm({
      orders: multi ? 300 : 120,
      processes: 3,
      concurrency: 24,
      crashes: multi ? 3 : 2,
      seed: 7,
      // Beside the browser tests in CI, a redelivery after a kill can be due later than 100 s (seen once).
      quietTimeoutMs: 150_000,
    });
    console.log(JSON.stringify({ ...report, customerNotes: report.customerNotes.count }));
    expect(report.crashes).toBeGreaterThan(0);
    expect(report.quiet, `still moving: ${JSON.stringify(report.unrest)}`).toBe(true);
    expect(report.violations).toEqual([]);
    expect(report.mismatches).toEqual([]);
    expect(report.deadJobs).toBe(0);
    expect(report.overdueJobs).toBe(0);
  }, 300_000);
});
