import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createWorker } from '../../src/lib/jobs.ts';
import { silentLogger } from '../../src/lib/log.ts';
import type { Providers } from '../../src/providers/registry.ts';
import { freshDb } from './db.ts';

/**
 * The app on a fresh database with the demo accounts and products, a fake clock and a worker driven
 * by hand: requests go through `app.request()` with no socket.
 */
export async function testApp(
  opts: { env?: Record<string, string>; providers?: Providers; db?: Db; clock?: FakeClock } = {},
) {
  const db = opts.db ?? (await freshDb());
  const clock = opts.clock ?? new FakeClock();
  const config: Config = loadConfig({ MALLPAY_DEMO: '1', PAYMENT_METHODS: 'alipay', ...opts.env });
  const built = createApp({ db, clock, log: silentLogger, config, providers: opts.providers ?? {} });
  if (!opts.db) await seedDemo(db, built.services.accounts);
  const worker = createWorker({ db, clock, log: silentLogger, handlers: built.jobs });
  const tokens = new Map<string, string>();

  async function login(email: string, password: string): Promise<string> {
    const res = await built.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  }
  async function tokenOf(who: 'customer' | 'support' | 'admin'): Promise<string> {
    if (!tokens.has(who)) tokens.set(who, await login(`${who}@demo.test`, `demo-${who}`));
    return tokens.get(who)!;
  }

  /** A JSON request as `who` (a demo role, a raw token, or nobody). */
  async function call(
    method: string,
    path: string,
    opts2: {
      as?: 'customer' | 'support' | 'admin' | { token: string };
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...opts2.headers };
    if (opts2.body !== undefined) headers['content-type'] = 'application/json';
    if (opts2.as)
      headers.authorization = `Bearer ${typeof opts2.as === 'string' ? await tokenOf(opts2.as) : opts2.as.token}`;
    const res = await built.app.request(path, {
      method,
      headers,
      body:
        opts2.body === undefined ? undefined : typeof opts2.body === 'string' ? opts2.body : JSON.stringify(opts2.body),
    });
    const text = await res.text();
    // Tests read response fields freely; the assertions are the type check here.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  return { ...built, db, clock, worker, config, call, login, tokenOf, close: () => db.close() };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;

export const stockOf = async (db: Db, sku: string) =>
  (await db.query<{ stock: number }>('SELECT stock FROM products WHERE sku = $1', [sku]))[0]!.stock;
