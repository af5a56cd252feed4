import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { Faults, type CallFault, type NotificationFault } from './faults.ts';
import type { Notifier } from './notifier.ts';

/** What every sandbox is built from. A sandbox talks to mallpay only over HTTP. */
export interface SandboxDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  notifier: Notifier;
  /** Origin where this server is reached (the sandbox lives under `${publicUrl}/sandbox/{provider}`). */
  publicUrl: string;
}

/**
 * A running sandbox: its Hono app (mounted at /sandbox/{provider}), and the credentials it issued to the
 * merchant, the way a provider's developer console does: mallpay is configured with these, pointing at
 * the sandbox's gateway URL, and uses them exactly as it would use real ones.
 */
export interface Sandbox<Credentials> {
  provider: string;
  app: Hono;
  credentials: Credentials;
  faults: Faults;
}

/** The provider-specific half of the scripted controls every sandbox offers (docs/sandbox.md). */
export interface SandboxControls {
  /** The customer pays the attempt with this merchant number (as on the cashier page). */
  pay(paymentNo: string): Promise<unknown>;
  /** The customer's payment fails (no notification, as with every provider). */
  fail(paymentNo: string): Promise<unknown>;
  /** The provider's view of a trade and its refunds, for tests and support. */
  trade(paymentNo: string): Promise<unknown>;
  /** Settles an asynchronous refund now (providers whose refunds are asynchronous). */
  settleRefund?(refundNo: string, outcome: 'succeeded' | 'failed'): Promise<unknown>;
}

/** Mounts the shared `/_control/*` routes on a sandbox app. */
export function mountControls(app: Hono, faults: Faults, notifier: Notifier, controls: SandboxControls): void {
  const ok = (body: unknown) => Response.json(body ?? { ok: true });
  const missing = () => Response.json({ error: 'not found' }, { status: 404 });
  app.post('/_control/pay/:paymentNo', async (c) => ok((await controls.pay(c.req.param('paymentNo'))) ?? null));
  app.post('/_control/fail/:paymentNo', async (c) => ok((await controls.fail(c.req.param('paymentNo'))) ?? null));
  app.get('/_control/trades/:paymentNo', async (c) => {
    const trade = await controls.trade(c.req.param('paymentNo'));
    return trade ? ok(trade) : missing();
  });
  app.post('/_control/refunds/:refundNo', async (c) => {
    if (!controls.settleRefund) return missing();
    const body = (await c.req.json().catch(() => ({}))) as { outcome?: 'succeeded' | 'failed' };
    return ok(await controls.settleRefund(c.req.param('refundNo'), body.outcome === 'failed' ? 'failed' : 'succeeded'));
  });
  app.post('/_control/faults', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as {
      call?: { fault: CallFault; api?: string; times?: number };
      notifications?: { fault: 'drop' | 'duplicate' | 'delay'; delayMs?: number; times?: number };
      clear?: boolean;
    };
    if (body.clear) faults.clear();
    if (body.call) faults.failNextCall(body.call.fault, body.call.api ?? null, body.call.times ?? 1);
    if (body.notifications) {
      const n = body.notifications;
      const fault: NotificationFault = n.fault === 'delay' ? { delayMs: n.delayMs ?? 5000 } : n.fault;
      faults.nextNotifications(fault, n.times ?? 1);
    }
    return ok({ ok: true });
  });
  app.post('/_control/flush', async () => ok({ sent: await notifier.flush() }));
}

export function newSandboxApp(): { app: Hono; faults: Faults } {
  return { app: new Hono(), faults: new Faults() };
}
