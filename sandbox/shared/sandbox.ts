import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { Faults, type NotificationFault } from './faults.ts';
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

/** A merchant number as the controls take it: what every provider's numbers are made of, nothing else. */
const NUMBER = /^[A-Za-z0-9_-]{1,64}$/;
const faultsSchema = z
  .object({
    call: z
      .object({
        fault: z.enum(['error', 'timeout']),
        api: z.string().min(1).max(128).optional(),
        times: z.number().int().min(1).max(1000).optional(),
      })
      .strict()
      .optional(),
    notifications: z
      .object({
        fault: z.enum(['drop', 'duplicate', 'delay']),
        // A day at most: a longer delay is a lost notification, which `drop` already scripts.
        delayMs: z.number().int().min(0).max(86_400_000).optional(),
        times: z.number().int().min(1).max(1000).optional(),
      })
      .strict()
      .optional(),
    clear: z.boolean().optional(),
  })
  .strict();
const settleSchema = z.object({ outcome: z.enum(['succeeded', 'failed']).optional() }).strict();

/** A refused control call: 400 and what was wrong, nothing changed. */
const invalid = (message: string) => Response.json({ error: 'invalid_control', message }, { status: 400 });

/** The control call's JSON body checked against its schema; an empty body is `{}`. */
async function controlBody<T>(
  c: Context,
  schema: z.ZodType<T>,
): Promise<{ ok: true; value: T } | { ok: false; res: Response }> {
  const text = await c.req.text();
  let json: unknown = {};
  try {
    if (text.trim() !== '') json = JSON.parse(text);
  } catch {
    return { ok: false, res: invalid('the body is not JSON') };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, res: invalid(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`) };
  }
  return { ok: true, value: parsed.data };
}

/**
 * Mounts the shared `/_control/*` routes on a sandbox app. Their input is checked like any other endpoint's:
 * numbers by their shape, fault scripts against the kinds and bounds that exist (a `times` of a billion
 * would otherwise fill memory), a refused call answers 400 `invalid_control` and changes nothing.
 */
export function mountControls(app: Hono, faults: Faults, notifier: Notifier, controls: SandboxControls): void {
  const ok = (body: unknown) => Response.json(body ?? { ok: true });
  const missing = () => Response.json({ error: 'not found' }, { status: 404 });
  const number = (c: Context, name: string): string | Response => {
    const v = c.req.param(name) ?? '';
    return NUMBER.test(v) ? v : invalid(`${name} must be 1-64 letters, digits, _ or -`);
  };
  app.post('/_control/pay/:paymentNo', async (c) => {
    const paymentNo = number(c, 'paymentNo');
    return paymentNo instanceof Response ? paymentNo : ok((await controls.pay(paymentNo)) ?? null);
  });
  app.post('/_control/fail/:paymentNo', async (c) => {
    const paymentNo = number(c, 'paymentNo');
    return paymentNo instanceof Response ? paymentNo : ok((await controls.fail(paymentNo)) ?? null);
  });
  app.get('/_control/trades/:paymentNo', async (c) => {
    const paymentNo = number(c, 'paymentNo');
    if (paymentNo instanceof Response) return paymentNo;
    const trade = await controls.trade(paymentNo);
    return trade ? ok(trade) : missing();
  });
  app.post('/_control/refunds/:refundNo', async (c) => {
    if (!controls.settleRefund) return missing();
    const refundNo = number(c, 'refundNo');
    if (refundNo instanceof Response) return refundNo;
    const body = await controlBody(c, settleSchema);
    if (!body.ok) return body.res;
    return ok(await controls.settleRefund(refundNo, body.value.outcome ?? 'succeeded'));
  });
  app.post('/_control/faults', async (c) => {
    const body = await controlBody(c, faultsSchema);
    if (!body.ok) return body.res;
    const { clear, call, notifications: n } = body.value;
    if (clear) faults.clear();
    if (call) faults.failNextCall(call.fault, call.api ?? null, call.times ?? 1);
    if (n) {
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
