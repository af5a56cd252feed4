import type { Sql } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/log.ts';
import type { Notifier } from '../shared/notifier.ts';
import type { RecordStore } from '../shared/store.ts';
import { RESP, type Resp } from './codes.ts';
import { orderKey, resultFields, traceOf, txnKey, type TxnRecord } from './records.ts';

export const PROVIDER = 'unionpay';
const TXN = 'txn';
const BY_QUERY_ID = 'qid';
const LATEST = 'order';

export interface LedgerDeps {
  store: RecordStore;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  /** How long an accepted refund takes to settle by itself (already divided by the time scale). */
  refundSettleMs: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; resp: Resp };

/** The sandbox gateway's transactions: consumes, refunds and undos, each change under a row lock. */
export function createLedger(deps: LedgerDeps) {
  const { store, clock } = deps;
  const notify = (t: TxnRecord, sql: Sql) =>
    deps.notifier.send(PROVIDER, { backUrl: t.backUrl, fields: resultFields(t, RESP.ok) }, sql);

  async function insertTxn(t: TxnRecord, sql: Sql): Promise<boolean> {
    if (!(await store.insert(TXN, txnKey(t.merId, t.orderId, t.txnTime), t, sql))) return false;
    await store.put(BY_QUERY_ID, t.queryId, { key: txnKey(t.merId, t.orderId, t.txnTime) }, sql);
    await store.put(LATEST, orderKey(t.merId, t.orderId), { key: txnKey(t.merId, t.orderId, t.txnTime) }, sql);
    return true;
  }

  async function byQueryId(queryId: string): Promise<TxnRecord | undefined> {
    const ref = await store.get<{ key: string }>(BY_QUERY_ID, queryId);
    return ref && store.get<TxnRecord>(TXN, ref.key);
  }

  /** The latest transaction with this orderId (the controls name attempts and refunds by number only). */
  async function latest(merId: string, orderId: string): Promise<TxnRecord | undefined> {
    const ref = await store.get<{ key: string }>(LATEST, orderKey(merId, orderId));
    return ref && store.get<TxnRecord>(TXN, ref.key);
  }

  const get = (merId: string, orderId: string, txnTime: string, sql?: Sql) =>
    store.get<TxnRecord>(TXN, txnKey(merId, orderId, txnTime), sql);

  /** A consume reaches the gateway when the browser posts the form; a re-post of the same form shows the same cashier. */
  async function openConsume(t: TxnRecord): Promise<Outcome<TxnRecord>> {
    return store.withLock<TxnRecord, Outcome<TxnRecord>>(
      TXN,
      txnKey(t.merId, t.orderId, t.txnTime),
      async (current, sql) => {
        if (current)
          return current.type === 'consume' && current.status === 'awaiting' && current.txnAmt === t.txnAmt
            ? { ok: true, value: current }
            : { ok: false, resp: RESP.duplicate };
        await insertTxn(t, sql);
        return { ok: true, value: t };
      },
    );
  }

  /** The cardholder pays: success, the backUrl notification, and (by the caller) the browser's return. */
  async function pay(t: TxnRecord): Promise<Outcome<TxnRecord>> {
    return store.withLock<TxnRecord, Outcome<TxnRecord>>(
      TXN,
      txnKey(t.merId, t.orderId, t.txnTime),
      async (current, sql) => {
        if (!current || current.type !== 'consume') return { ok: false, resp: RESP.notFound };
        if (current.status === 'paid') return { ok: true, value: current };
        // A failed attempt leaves the order payable until payTimeout, as at the real cashier.
        if (current.status !== 'awaiting' && current.status !== 'failed')
          return { ok: false, resp: RESP.badOriginal('交易状态不正确') };
        if (current.payBy && clock.now() > new Date(current.payBy)) return { ok: false, resp: RESP.expired };
        const paid: TxnRecord = { ...current, status: 'paid', refundedFen: 0, ...traceOf(clock.now()) };
        await store.put(TXN, txnKey(t.merId, t.orderId, t.txnTime), paid, sql);
        await notify(paid, sql);
        return { ok: true, value: paid };
      },
    );
  }

  /**
   * The payment fails: recorded for queries, never notified (docs/protocols/unionpay.md#notification-fields: successful
   * transactions only). Not final: the cardholder may still pay the same consume until its payTimeout (see `pay`).
   */
  async function fail(t: TxnRecord): Promise<Outcome<TxnRecord>> {
    return store.withLock<TxnRecord, Outcome<TxnRecord>>(
      TXN,
      txnKey(t.merId, t.orderId, t.txnTime),
      async (current, sql) => {
        if (!current || current.type !== 'consume') return { ok: false, resp: RESP.notFound };
        if (current.status !== 'awaiting')
          return current.status === 'failed'
            ? { ok: true, value: current }
            : { ok: false, resp: RESP.badOriginal('交易已成功') };
        const failed: TxnRecord = { ...current, status: 'failed' };
        await store.put(TXN, txnKey(t.merId, t.orderId, t.txnTime), failed, sql);
        return { ok: true, value: failed };
      },
    );
  }

  /**
   * Refund (04) or undo (31) of a paid consume found by origQryId: cumulative amounts stay within the
   * consume, an undo takes the whole amount on the consume's day, and orderId+txnTime never repeats.
   */
  async function openRefund(t: TxnRecord): Promise<Outcome<TxnRecord>> {
    const original = t.origQryId ? await byQueryId(t.origQryId) : undefined;
    if (!original || original.type !== 'consume' || original.merId !== t.merId)
      return { ok: false, resp: RESP.badOriginal('原交易不存在') };
    return store.withLock<TxnRecord, Outcome<TxnRecord>>(
      TXN,
      txnKey(original.merId, original.orderId, original.txnTime),
      async (consume, sql) => {
        if (!consume || consume.status !== 'paid') return { ok: false, resp: RESP.badOriginal('原交易未成功') };
        if (await get(t.merId, t.orderId, t.txnTime, sql)) return { ok: false, resp: RESP.duplicate };
        const amount = Number(t.txnAmt);
        const refunded = consume.refundedFen ?? 0;
        if (
          t.type === 'undo' &&
          (refunded > 0 || amount !== Number(consume.txnAmt) || consume.txnTime.slice(0, 8) !== t.txnTime.slice(0, 8))
        ) {
          return { ok: false, resp: RESP.badOriginal('撤销须为当日全额且未退货') };
        }
        if (refunded + amount > Number(consume.txnAmt)) return { ok: false, resp: RESP.overLimit };
        const settleAt = new Date(clock.now().getTime() + deps.refundSettleMs).toISOString();
        if (!(await insertTxn({ ...t, settleAt }, sql))) return { ok: false, resp: RESP.duplicate };
        await store.put(
          TXN,
          txnKey(consume.merId, consume.orderId, consume.txnTime),
          { ...consume, refundedFen: refunded + amount },
          sql,
        );
        return { ok: true, value: { ...t, settleAt } };
      },
    );
  }

  /** Settles a processing refund: success notifies the backUrl; failure gives the amount back to the consume. */
  async function settle(t: TxnRecord, outcome: 'succeeded' | 'failed'): Promise<TxnRecord | undefined> {
    const key = txnKey(t.merId, t.orderId, t.txnTime);
    const { record, changed } = await store.withLock<TxnRecord, { record: TxnRecord | undefined; changed: boolean }>(
      TXN,
      key,
      async (current, sql) => {
        if (!current || current.status !== 'processing') return { record: current, changed: false };
        const next: TxnRecord = {
          ...current,
          status: outcome,
          ...(outcome === 'succeeded' ? traceOf(clock.now()) : {}),
        };
        await store.put(TXN, key, next, sql);
        if (outcome === 'succeeded') await notify(next, sql);
        return { record: next, changed: true };
      },
    );
    if (changed && outcome === 'failed' && record?.origQryId) {
      const ref = await store.get<{ key: string }>(BY_QUERY_ID, record.origQryId);
      if (ref) {
        await store.withLock<TxnRecord, void>(TXN, ref.key, async (consume, sql) => {
          if (consume)
            await store.put(
              TXN,
              ref.key,
              { ...consume, refundedFen: (consume.refundedFen ?? 0) - Number(record.txnAmt) },
              sql,
            );
        });
      }
    }
    return record;
  }

  /** Refunds whose time has come settle successfully; called before every read, and by a timer. */
  async function settleDue(): Promise<void> {
    const now = clock.now();
    const due = (await store.find<TxnRecord>(TXN, { status: 'processing' })).filter(
      (t) => t.settleAt && new Date(t.settleAt) <= now,
    );
    for (const t of due) await settle(t, 'succeeded');
  }

  async function refundsOf(consume: TxnRecord): Promise<TxnRecord[]> {
    return store.find<TxnRecord>(TXN, { origQryId: consume.queryId });
  }

  return { openConsume, pay, fail, openRefund, settle, settleDue, get, byQueryId, latest, refundsOf };
}

export type Ledger = ReturnType<typeof createLedger>;
