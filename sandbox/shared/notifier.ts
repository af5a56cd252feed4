import type { Logger } from 'pino';
import type { Db, Sql } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createPollLoop } from '../../src/lib/poll-loop.ts';
import type { Chaos } from './chaos.ts';
import type { Faults } from './faults.ts';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** How one provider notifies: its retry schedule, how it signs each send, what counts as acknowledged. */
export interface NotifyProtocol {
  /** Delays after the first send, before each retry (the provider's published schedule). */
  retryDelaysMs: readonly number[];
  /** How long the provider waits for an answer before it counts the send as failed. */
  timeoutMs: number;
  /** Built at each send, so that timestamps and signatures are those of the send. */
  render(payload: Record<string, unknown>, now: Date): OutgoingRequest | Promise<OutgoingRequest>;
  acknowledged(status: number, body: string): boolean;
}

export interface NotifierOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Divides the retry delays: 60 turns Alipay's 4 minutes into 4 seconds. */
  timeScale: number;
  fetch?: typeof fetch;
  /** SANDBOX_CHAOS: notifications copied, sent late and out of order, and sends lost at random. */
  chaos?: Chaos | undefined;
}

interface DeliveryRow {
  id: number;
  provider: string;
  payload: Record<string, unknown>;
  sends: number;
}

/** Durable outgoing notifications for all sandboxes: a table, retried on schedule, surviving restarts. */
export function createNotifier(opts: NotifierOptions) {
  const protocols = new Map<string, { protocol: NotifyProtocol; faults: Faults }>();
  const doFetch = opts.fetch ?? fetch;

  function register(provider: string, protocol: NotifyProtocol, faults: Faults): void {
    protocols.set(provider, { protocol, faults });
  }

  /** Queues a notification; the provider's scripted faults decide whether it is dropped, doubled or late. */
  async function send(provider: string, payload: Record<string, unknown>, sql: Sql = opts.db): Promise<void> {
    const entry = protocols.get(provider);
    if (!entry) throw new Error(`no notify protocol registered for ${provider}`);
    const fault = entry.faults.takeNotificationFault();
    const now = opts.clock.now();
    const insert = (status: string, at: Date) =>
      sql.query(
        'INSERT INTO sandbox_deliveries (provider, payload, status, next_at, created_at) VALUES ($1, $2, $3, $4, $5)',
        [provider, JSON.stringify(payload), status, at, now],
      );
    if (fault === 'drop') return void (await insert('dropped', now));
    if (fault === undefined && opts.chaos) {
      // Each copy its own row with its own delay: they arrive in any order, each retried on its own.
      for (const delay of opts.chaos.copyDelays()) await insert('pending', new Date(now.getTime() + delay));
      return;
    }
    const at = typeof fault === 'object' ? new Date(now.getTime() + fault.delayMs) : now;
    await insert('pending', at);
    if (fault === 'duplicate') await insert('pending', at);
  }

  async function claim(): Promise<DeliveryRow[]> {
    const now = opts.clock.now();
    return opts.db.query<DeliveryRow>(
      `UPDATE sandbox_deliveries SET locked_until = $1
       WHERE id IN (SELECT id FROM sandbox_deliveries
                    WHERE status = 'pending' AND next_at <= $2 AND (locked_until IS NULL OR locked_until <= $2)
                    ORDER BY next_at, id LIMIT 20 FOR UPDATE SKIP LOCKED)
       RETURNING id, provider, payload, sends`,
      [new Date(now.getTime() + 60_000), now],
    );
  }

  async function deliver(row: DeliveryRow): Promise<void> {
    const entry = protocols.get(row.provider);
    if (!entry) return;
    const { protocol } = entry;
    let result: string;
    let ok = false;
    try {
      if (opts.chaos?.deliveryFails()) throw new Error('SANDBOX_CHAOS lost this send');
      const req = await protocol.render(row.payload, opts.clock.now());
      const res = await doFetch(req.url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(protocol.timeoutMs),
      });
      const body = await res.text();
      ok = protocol.acknowledged(res.status, body);
      result = `${res.status} ${body.slice(0, 200)}`;
    } catch (err) {
      result = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const sends = row.sends + 1;
    const now = opts.clock.now();
    const delay = protocol.retryDelaysMs[sends - 1];
    const status = ok ? 'delivered' : delay === undefined ? 'gave_up' : 'pending';
    const nextAt = new Date(now.getTime() + (delay ?? 0) / opts.timeScale);
    if (!ok)
      opts.log.debug(
        { provider: row.provider, delivery: row.id, sends, result },
        'sandbox notification not acknowledged',
      );
    await opts.db.query(
      `UPDATE sandbox_deliveries SET sends = $1, status = $2, next_at = $3, last_result = $4, locked_until = NULL,
              delivered_at = CASE WHEN $2 = 'delivered' THEN $5::timestamptz END
       WHERE id = $6`,
      [sends, status, nextAt, result, now, row.id],
    );
  }

  const loop = createPollLoop({ claim, handle: deliver, intervalMs: 250, log: opts.log, name: 'sandbox notifier' });

  return {
    register,
    send,
    /** Sends everything due now (tests call this; the loop calls it too). Answers how many sends were made. */
    flush: loop.drain,
    start: loop.start,
    stop: loop.stop,
    /** Every delivery of a provider, for tests and the sandbox's state view. */
    deliveries: (provider: string) =>
      opts.db.query<{
        id: number;
        payload: Record<string, unknown>;
        status: string;
        sends: number;
        last_result: string | null;
      }>('SELECT id, payload, status, sends, last_result FROM sandbox_deliveries WHERE provider = $1 ORDER BY id', [
        provider,
      ]),
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
