import { loadConfig } from '../../src/config.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startMall, type Mall } from '../../src/server.ts';
import { createSandboxes, type Sandboxes } from '../../sandbox/sandboxes.ts';
import { freshDb } from './db.ts';

type Who = 'customer' | 'support' | 'admin' | { token: string } | undefined;

/**
 * The whole mall on a loopback port: real HTTP between mallpay, its adapters and the sandboxes, a fresh
 * database, a fake clock, and the job worker and the sandbox notifier driven by hand (`settle()`).
 */
export async function startTestMall(
  env: Record<string, string> = {},
  opts: { sandboxes?: Partial<Parameters<typeof createSandboxes>[0]> } = {},
) {
  const clock = new FakeClock();
  const db = await freshDb();
  const config = loadConfig({ MALLPAY_DEMO: '1', PORT: '0', ...env });
  const mall: Mall<Sandboxes> = await startMall(config, {
    db,
    clock,
    log: silentLogger,
    background: false,
    providerTimeoutMs: 5000,
    sandbox: (o) => createSandboxes({ ...o, ...opts.sandboxes }),
  });
  const tokens = new Map<string, string>();

  async function call(
    method: string,
    path: string,
    opts: { as?: Who; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{
    status: number;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response fields freely
    body: any;
    text: string;
    headers: Headers;
  }> {
    const first = await send(method, path, opts);
    // Moving the fake clock far ahead ends sessions: a demo user simply logs in again.
    if (first.status === 401 && typeof opts.as === 'string') {
      tokens.delete(opts.as);
      return send(method, path, opts);
    }
    return first;
  }
  async function send(
    method: string,
    path: string,
    opts: { as?: Who; body?: unknown; headers?: Record<string, string> },
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const who = opts.as;
    if (who) headers.authorization = `Bearer ${typeof who === 'string' ? await tokenOf(who) : who.token}`;
    const res = await fetch(mall.url + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      redirect: 'manual',
    });
    const text = await res.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  }
  async function tokenOf(who: 'customer' | 'support' | 'admin'): Promise<string> {
    if (!tokens.has(who)) {
      const res = await fetch(`${mall.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${who}@demo.test`, password: `demo-${who}` }),
      });
      tokens.set(who, ((await res.json()) as { token: string }).token);
    }
    return tokens.get(who)!;
  }
  const control = async (provider: string, path: string, body?: unknown) => {
    const res = await fetch(`${mall.url}/sandbox/${provider}/_control/${path}`, {
      method: path.startsWith('trades/') ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: path.startsWith('trades/') ? undefined : JSON.stringify(body ?? {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { refunds?: unknown[] } };
  };
  /** Delivers due notifications and runs due jobs until both are quiet. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const sent = await mall.sandboxes!.notifier.flush();
      const ran = await mall.worker.drain();
      if (sent === 0 && ran === 0) return;
    }
  }
  const order = async (orderNo: string) => (await call('GET', `/api/orders/${orderNo}`, { as: 'customer' })).body;
  async function placeOrder(items = [{ sku: 'FAN-SILK', quantity: 1 }]) {
    return (await call('POST', '/api/orders', { as: 'customer', body: { items } })).body as {
      orderNo: string;
      amount: number;
    };
  }
  async function pay(orderNo: string, method: string, channel: string) {
    const res = await call('POST', `/api/orders/${orderNo}/payments`, { as: 'customer', body: { method, channel } });
    if (res.status !== 201) throw new Error(`payment not created: ${res.status} ${res.text}`);
    return res.body as { paymentNo: string; action: { type: string; content?: string; url?: string; html?: string } };
  }
  const notifications = async (provider: string) =>
    (await call('GET', `/api/admin/notifications?provider=${provider}`, { as: 'support' })).body as {
      outcome: string;
      reason?: string;
      outTradeNo?: string;
    }[];

  return {
    mall,
    db,
    clock,
    url: mall.url,
    call,
    control,
    settle,
    order,
    placeOrder,
    pay,
    notifications,
    close: () => mall.close(),
  };
}

export type TestMall = Awaited<ReturnType<typeof startTestMall>>;
