/**
 * Test harness only (imported by *.test.ts, never by the adapter): the Alipay sandbox and the adapter over
 * real HTTP on a loopback port, with a receiver at /notify/alipay that parses and acknowledges as mallpay does.
 */
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { FakeClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createAlipaySandbox } from '../../../sandbox/alipay/index.ts';
import { createNotifier } from '../../../sandbox/shared/notifier.ts';
import { freshDb } from '../db.ts';
import { lateBoundServer } from '../serve.ts';
import type {
  CreatePaymentInput,
  ParsedNotification,
  RefundInput,
  ReturnInfo,
} from '../../../src/providers/provider.ts';
import { createAlipayProvider } from '../../../src/providers/alipay/provider.ts';

export interface Received {
  raw: string;
  parsed: ParsedNotification;
}

export async function startAlipayHarness(opts: { keyMode?: 'public_key' | 'certificate' } = {}) {
  const db = await freshDb();
  const clock = new FakeClock('2026-11-25T12:00:00Z');
  const server = await lateBoundServer();
  const notifier = createNotifier({ db, clock, log: silentLogger, timeScale: 1 });
  const sandbox = await createAlipaySandbox(
    { db, clock, log: silentLogger, notifier, publicUrl: server.url },
    { keyMode: opts.keyMode ?? 'public_key' },
  );
  const provider = createAlipayProvider(sandbox.credentials, { clock, log: silentLogger, timeoutMs: 5000 });

  const received: Received[] = [];
  const returns: ReturnInfo[] = [];
  /** The receiver's answer: as mallpay would ('verdict'), or always refuse to see redelivery. */
  const receiver = { mode: 'verdict' as 'verdict' | 'refuse' };
  const app = new Hono();
  app.route('/sandbox/alipay', sandbox.app);
  app.post('/notify/alipay', async (c) => {
    const raw = await c.req.text();
    const parsed = await provider.parseNotification({
      method: 'POST',
      headers: c.req.raw.headers,
      rawBody: raw,
      query: new URLSearchParams(),
    });
    received.push({ raw, parsed });
    return provider.acknowledge(receiver.mode === 'verdict' && parsed.kind !== 'rejected');
  });
  app.get('/return/alipay', async (c) => {
    const info = await provider.parseReturn({
      method: 'GET',
      headers: c.req.raw.headers,
      rawBody: '',
      query: new URL(c.req.url).searchParams,
    });
    returns.push(info);
    return c.text('back at the mall');
  });
  server.setApp(app);

  const control = (path: string, body?: unknown) =>
    fetch(`${server.url}/sandbox/alipay/_control/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);

  let seq = 0;
  function attempt(channel: string, amount = 1999): CreatePaymentInput {
    const now = clock.now();
    return {
      paymentNo: `P${++seq}_${randomBytes(4).toString('hex')}`,
      channel,
      amount,
      currency: 'CNY',
      createdAt: now,
      subject: 'Green tea & cups',
      expiresAt: new Date(now.getTime() + 30 * 60_000),
      notifyUrl: `${server.url}/notify/alipay`,
      returnUrl: `${server.url}/return/alipay`,
      clientIp: '127.0.0.1',
    };
  }
  function refundInput(
    payment: CreatePaymentInput,
    amount: number,
    refundNo = `R${++seq}_${randomBytes(4).toString('hex')}`,
  ): RefundInput {
    return {
      refundNo,
      createdAt: clock.now(),
      amount,
      reason: 'customer changed mind',
      payment: { ...payment, providerTradeNo: 'unknown-yet' },
      notifyUrl: payment.notifyUrl,
    };
  }

  /** Creates and pays an attempt through the controls, delivering the payment notification. */
  async function paid(channel = 'qr', amount = 1999) {
    const input = attempt(channel, amount);
    const created = await provider.createPayment(input);
    if (created.kind !== 'created') throw new Error(`create failed: ${JSON.stringify(created)}`);
    // page/wap: the browser follows the signed URL to the gateway first; only then does the sandbox know the order.
    if (created.action.type === 'redirect') await fetch(created.action.url, { redirect: 'manual' });
    const paid = await control(`pay/${input.paymentNo}`);
    if (paid.ok !== true) throw new Error(`pay control failed: ${JSON.stringify(paid)}`);
    await notifier.flush();
    return input;
  }

  return {
    db,
    clock,
    url: server.url,
    sandbox,
    provider,
    notifier,
    received,
    returns,
    receiver,
    control,
    attempt,
    refundInput,
    paid,
    async close() {
      await notifier.stop();
      await server.close();
      await db.close();
    },
  };
}

export type AlipayHarness = Awaited<ReturnType<typeof startAlipayHarness>>;
