/**
 * SQL statements per operation: `db.statements.count` before and after one operation, nothing else
 * running (background loops off). The sandboxes share the mall's database, so a recording wrapper
 * tells their statements (those on `sandbox_*` tables, and the BEGIN/COMMIT of their transactions)
 * from mallpay's own; the total is always the counter's delta.
 */
import type { Db, Sql } from '../src/db/client.ts';
import type { Sandboxes } from '../sandbox/sandboxes.ts';
import type { Mall as AnyMall } from '../src/server.ts';

type Mall = AnyMall<Sandboxes>;
import { openCashier } from '../test/support/browser-actions.ts';
import { CHANNEL, type Method } from './prepare.ts';

export interface Recorder {
  db: Db;
  /** Records statement texts while `capture` runs; a transaction's control goes with its first statement. */
  capture<T>(fn: () => Promise<T>): Promise<{ result: T; total: number; sandbox: number; texts: string[] }>;
}

export function recordingDb(inner: Db): Recorder {
  let log: string[] | null = null;
  const note = (text: string) => log?.push(text.replace(/\s+/g, ' ').trim());
  const wrapSql = (sql: Sql, onFirst?: (text: string) => void): Sql => ({
    query: (text, params) => {
      onFirst?.(text);
      onFirst = undefined;
      note(text);
      return sql.query(text, params);
    },
    exec: (script) => sql.exec(script),
  });
  const db: Db = {
    get kind() {
      return inner.kind;
    },
    get statements() {
      return inner.statements;
    },
    query: (text, params) => {
      note(text);
      return inner.query(text, params);
    },
    exec: (script) => inner.exec(script),
    tx: (fn) =>
      inner.tx((sql) => {
        // BEGIN and COMMIT belong to whoever the first statement belongs to.
        return fn(
          wrapSql(sql, (first) => (note(`BEGIN (${first.slice(0, 40)}…)`), note(`COMMIT (${first.slice(0, 40)}…)`))),
        );
      }),
    close: () => inner.close(),
    ...(inner.dumpDataDir ? { dumpDataDir: () => inner.dumpDataDir!() } : {}),
  };
  return {
    db,
    async capture(fn) {
      log = [];
      const before = inner.statements.count;
      const result = await fn();
      const total = inner.statements.count - before;
      const texts = log;
      log = null;
      const sandbox = texts.filter((t) => /\bsandbox_/.test(t)).length;
      return { result, total, sandbox, texts };
    },
  };
}

export interface StatementRow {
  operation: string;
  total: number;
  mallpay: number;
  sandbox: number;
  note: string;
}

async function json(res: Response) {
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Each operation once, through the real flow: API, sandboxes, notifier and job worker driven by hand. */
export async function countStatements(mall: Mall, rec: Recorder): Promise<StatementRow[]> {
  const rows: StatementRow[] = [];
  const login = async (who: string) =>
    (
      await json(
        await fetch(`${mall.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `${who}@demo.test`, password: `demo-${who}` }),
        }),
      )
    ).token as string;
  const tokens = { customer: await login('customer'), support: await login('support') };
  const call = async (who: 'customer' | 'support', method: string, path: string, body?: unknown) =>
    json(
      await fetch(mall.url + path, {
        method,
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const count = async <T>(operation: string, note: string, fn: () => Promise<T>): Promise<T> => {
    const c = await rec.capture(fn);
    rows.push({ operation, total: c.total, mallpay: c.total - c.sandbox, sandbox: c.sandbox, note });
    if (process.env.BENCH_SHOW_SQL)
      console.log(`-- ${operation}\n${c.texts.map((t) => `   ${t.slice(0, 160)}`).join('\n')}`);
    return c.result;
  };
  // Due jobs other than the one measured stay out of the worker's drain.
  const onlyRefundJobsDue = () =>
    mall.db.query(
      `UPDATE jobs SET run_at = now() + interval '1 day' WHERE kind <> 'refund.drive' AND run_at <= now() + interval '10 minutes'`,
    );

  const paid: Partial<Record<Method, string>> = {};
  for (const method of ['alipay', 'wechatpay', 'unionpay'] as const) {
    const order = await count(
      `place order (${method} run)`,
      'POST /api/orders: session, rate limit, stock, order, item, expiry job',
      () => call('customer', 'POST', '/api/orders', { items: [{ sku: 'FAN-SILK', quantity: 1 }] }),
    );
    const orderNo = order.orderNo as string;
    const payment = await count(
      `create payment: ${method} ${CHANNEL[method]}`,
      'POST /api/orders/{no}/payments, provider call to the sandbox included',
      () => call('customer', 'POST', `/api/orders/${orderNo}/payments`, { method, channel: CHANNEL[method] }),
    );
    await openCashier(payment.action as never);
    await json(
      await fetch(`${mall.url}/sandbox/${method}/_control/pay/${payment.paymentNo as string}`, { method: 'POST' }),
    );
    await count(
      `apply a payment notification: ${method}`,
      method === 'unionpay' ? 'includes the confirming queryTrans to the sandbox' : 'the sandbox notifier delivers it',
      () => mall.sandboxes!.notifier.flush(),
    );
    const state = await call('customer', 'GET', `/api/orders/${orderNo}`);
    if (state.status !== 'paid') throw new Error(`${method} order is ${String(state.status)} after its notification`);
    paid[method] = orderNo;
  }
  // Drop the duplicate rows: the table shows one "place order".
  const places = rows.filter((r) => r.operation.startsWith('place order'));
  const others = rows.filter((r) => !r.operation.startsWith('place order'));
  rows.length = 0;
  rows.push(
    {
      ...places[0]!,
      operation: 'place order',
      note: `${places[0]!.note}; ${places.map((p) => p.total).join('/')} in three runs`,
    },
    ...others,
  );

  for (const method of ['alipay', 'wechatpay'] as const) {
    const applied = await count(`apply for a refund (${method})`, 'POST /api/orders/{no}/refunds', () =>
      call('customer', 'POST', `/api/orders/${paid[method]}/refunds`, { reason: 'bench' }),
    );
    const refundNo = applied.refundNo as string;
    await count(`approve a refund (${method})`, 'POST /api/admin/refunds/{no}/approve: enqueues the drive job', () =>
      call('support', 'POST', `/api/admin/refunds/${refundNo}/approve`, { note: 'bench' }),
    );
    await onlyRefundJobsDue();
    await count(
      `refund drive job (${method})`,
      method === 'alipay'
        ? 'claim, provider refund (synchronous: succeeded), apply, delete job'
        : 'claim, provider refund (processing), apply, reschedule job',
      () => mall.worker.drain(),
    );
    if (method === 'wechatpay') {
      await json(
        await fetch(`${mall.url}/sandbox/wechatpay/_control/refunds/${refundNo}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"outcome":"succeeded"}',
        }),
      );
      await count('apply a refund notification (wechatpay)', 'REFUND.SUCCESS delivered by the sandbox notifier', () =>
        mall.sandboxes!.notifier.flush(),
      );
    }
    const r = await call('customer', 'GET', `/api/refunds/${refundNo}`);
    if (r.status !== 'succeeded') throw new Error(`${method} refund is ${String(r.status)}`);
  }
  return rows;
}
