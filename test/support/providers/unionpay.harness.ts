/**
 * Test support only (imported by *.test.ts, never by the adapter): the sandbox gateway on a loopback
 * port at /sandbox/unionpay, and a merchant receiver at /notify/unionpay and /return/unionpay that
 * uses the adapter exactly as mallpay does.
 */
import { Hono } from 'hono';
import { FakeClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createNotifier } from '../../../sandbox/shared/notifier.ts';
import { createUnionpaySandbox } from '../../../sandbox/unionpay/index.ts';
import { freshDb } from '../db.ts';
import { lateBoundServer } from '../serve.ts';
import type {
  CreatePaymentInput,
  ParsedNotification,
  PaymentProvider,
  ReturnInfo,
} from '../../../src/providers/provider.ts';
import { createUnionpayProvider } from '../../../src/providers/unionpay/provider.ts';

export async function startUnionpayHarness() {
  const db = await freshDb();
  const clock = new FakeClock();
  const server = await lateBoundServer();
  const notifier = createNotifier({ db, clock, log: silentLogger, timeScale: 1 });
  const sandbox = await createUnionpaySandbox({ db, clock, log: silentLogger, notifier, publicUrl: server.url });
  const provider = createUnionpayProvider(sandbox.credentials, { clock, log: silentLogger, timeoutMs: 5_000 });
  const received: ParsedNotification[] = [];
  const returns: ReturnInfo[] = [];
  const app = new Hono();
  app.route('/sandbox/unionpay', sandbox.app);
  app.post('/notify/unionpay', async (c) => {
    const parsed = await provider.parseNotification(inbound(c.req.raw, await c.req.text()));
    received.push(parsed);
    return provider.acknowledge(parsed.kind !== 'rejected');
  });
  app.post('/return/unionpay', async (c) => {
    returns.push(await provider.parseReturn(inbound(c.req.raw, await c.req.text())));
    return c.text('back at the mall');
  });
  server.setApp(app);

  let seq = 0;
  const attempt = (amount: number, over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
    paymentNo: `P${Date.now()}${String(++seq).padStart(4, '0')}`,
    channel: 'page',
    amount,
    currency: 'CNY',
    createdAt: clock.now(),
    subject: 'Test order',
    expiresAt: new Date(clock.now().getTime() + 30 * 60_000),
    payBy: new Date(clock.now().getTime() + 30 * 60_000),
    notifyUrl: `${server.url}/notify/unionpay`,
    returnUrl: `${server.url}/return/unionpay`,
    clientIp: '127.0.0.1',
    ...over,
  });

  /** Creates the attempt and lets a "browser" submit the consume form: answers the cashier URL. */
  async function submitConsume(input: CreatePaymentInput, p: PaymentProvider = provider): Promise<string> {
    const created = await p.createPayment(input);
    if (created.kind !== 'created' || created.action.type !== 'form')
      throw new Error(`no form: ${JSON.stringify(created)}`);
    const res = await postForm(formAction(created.action.html), formInputs(created.action.html));
    if (res.status !== 303) throw new Error(`consume refused: ${res.status} ${await res.text()}`);
    return res.headers.get('location')!;
  }

  const control = (path: string, body?: unknown) =>
    fetch(`${server.url}/sandbox/unionpay/_control/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    }).then((r) => r.json());

  return {
    db,
    clock,
    server,
    notifier,
    sandbox,
    provider,
    received,
    returns,
    attempt,
    submitConsume,
    control,
    async close() {
      await notifier.stop();
      // Not awaited: Node's server.close waits out the idle keep-alive sockets of fetch (seconds).
      void server.close();
      await db.close();
    },
  };
}

export type UnionpayHarness = Awaited<ReturnType<typeof startUnionpayHarness>>;

export function inbound(req: Request, rawBody: string) {
  return { method: req.method, headers: req.headers, rawBody, query: new URL(req.url).searchParams };
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden inputs of an HTML form, as a browser would submit them. */
export function formInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    out[unescape(m[1]!)] = unescape(m[2]!);
  return out;
}
export const formAction = (html: string) => unescape(/<form[^>]*action="([^"]*)"/.exec(html)![1]!);

export const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
