import { createApiClient } from '../../../src/providers/wechatpay/client.ts';
import { createRequestSigner } from '../../../src/providers/wechatpay/signing.ts';
import { platformKeyRing } from '../../../src/providers/wechatpay/provider.ts';
/**
 * Test-only (imported by *.test.ts, never by the adapter): the adapter and the sandbox talking over real
 * HTTP on loopback, with a receiver at /notify/wechatpay that answers with the adapter's parseNotification
 * and acknowledge, the way mallpay's route does.
 */
import { Hono } from 'hono';
import type { WechatpayCredentials } from '../../../src/config.ts';
import type { Db } from '../../../src/db/client.ts';
import { FakeClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createNotifier } from '../../../sandbox/shared/notifier.ts';
import { createWechatpaySandbox, type WechatpaySandboxOptions } from '../../../sandbox/wechatpay/index.ts';
import { freshDb } from '../db.ts';
import { lateBoundServer } from '../serve.ts';
import type { InboundRequest, ParsedNotification, PaymentProvider } from '../../../src/providers/provider.ts';
import { createWechatpayProvider } from '../../../src/providers/wechatpay/index.ts';

export interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export async function startWechatpayWorld(
  opts: { clock?: FakeClock; sandbox?: WechatpaySandboxOptions; db?: Db } = {},
) {
  const db = opts.db ?? (await freshDb());
  const clock = opts.clock ?? new FakeClock();
  const server = await lateBoundServer();
  const notifier = createNotifier({ db, clock, log: silentLogger, timeScale: 1 });
  const sandbox = await createWechatpaySandbox(
    { db, clock, log: silentLogger, notifier, publicUrl: server.url },
    opts.sandbox,
  );
  const creds: WechatpayCredentials = sandbox.credentials;
  const provider: PaymentProvider = createWechatpayProvider(creds, { clock, log: silentLogger, timeoutMs: 5000 });
  const outgoing: Recorded[] = [];
  const received: { request: InboundRequest; parsed: ParsedNotification; status: number }[] = [];
  let refusals = 0;

  const root = new Hono();
  root.use('/sandbox/wechatpay/v3/*', async (c, next) => {
    outgoing.push({
      method: c.req.method,
      url: c.req.url,
      headers: new Headers(c.req.raw.headers),
      body: await c.req.text(),
    });
    await next();
  });
  root.route('/sandbox/wechatpay', sandbox.app);
  root.post('/notify/wechatpay', async (c) => {
    const request: InboundRequest = {
      method: 'POST',
      headers: c.req.raw.headers,
      rawBody: await c.req.text(),
      query: new URLSearchParams(),
    };
    const parsed = await provider.parseNotification(request);
    const refuse = parsed.kind !== 'rejected' && refusals > 0;
    if (refuse) refusals--;
    const res = refuse
      ? provider.acknowledge(false, 'internal')
      : provider.acknowledge(parsed.kind !== 'rejected', parsed.kind === 'rejected' ? parsed.reason : undefined);
    received.push({ request, parsed, status: res.status });
    return res;
  });
  server.setApp(root);

  const control = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/sandbox/wechatpay/_control/${path}`, {
      method: body === undefined && path.startsWith('trades/') ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  // The merchant's own API client, for calls the adapter does not make itself (a bill file read whole).
  const api = createApiClient({
    baseUrl: creds.baseUrl,
    signer: createRequestSigner(creds.mchId, creds.certSerial, creds.privateKey),
    platformKeys: platformKeyRing(creds, clock),
    clock,
    log: silentLogger,
    timeoutMs: 5000,
  });
  const signedGet = async (path: string) => {
    const r = await api.call('GET', path);
    if (r.kind === 'unknown') throw new Error(r.message);
    return r.kind === 'ok'
      ? { status: r.status, body: r.body ?? {} }
      : { status: r.status, body: { code: r.code, message: r.message } as Record<string, unknown> };
  };
  const download = async (url: string) => {
    const r = await api.download(url);
    if (!r.ok) throw new Error(r.reason);
    return r.bytes.toString('utf8');
  };

  return {
    db,
    clock,
    signedGet,
    download,
    server,
    notifier,
    sandbox,
    creds,
    provider,
    outgoing,
    received,
    control,
    notifyUrl: `${server.url}/notify/wechatpay`,
    returnUrl: `${server.url}/return/wechatpay`,
    /** The receiver refuses the next n valid notifications (mallpay could not record them). */
    refuseNext: (n: number) => void (refusals = n),
    async close() {
      await server.close();
      await db.close();
    },
  };
}

export type WechatpayWorld = Awaited<ReturnType<typeof startWechatpayWorld>>;

let seq = 0;
/** A fresh merchant number per test, in the shape mallpay makes them. */
export const paymentNo = (prefix = 'P') =>
  `${prefix}20261125120000${String(Date.now() % 1e6).padStart(6, '0')}${String(++seq).padStart(4, '0')}`;

export function attempt(w: WechatpayWorld, no: string, amount = 1999, channel: 'qr' | 'h5' = 'qr') {
  return {
    paymentNo: no,
    channel,
    amount,
    currency: 'CNY',
    createdAt: w.clock.now(),
    subject: 'Sandbox tea set',
    expiresAt: new Date(w.clock.now().getTime() + 30 * 60_000),
    notifyUrl: w.notifyUrl,
    returnUrl: w.returnUrl,
    clientIp: '203.0.113.7',
  };
}
