import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = new URL('../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A database that outlives the processes using it: a fresh PostgreSQL database when DATABASE_URL is
 * set, else a PGlite data directory (which one process at a time may open).
 */
export async function durableDatabase(): Promise<{
  env: Record<string, string>;
  drop: () => Promise<void>;
  multiProcess: boolean;
}> {
  const url = process.env.DATABASE_URL;
  if (!url)
    return {
      env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'mallpay-crash-')) },
      drop: async () => {},
      multiProcess: false,
    };
  const name = `mallpay_proc_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: dbUrl.toString(), MALLPAY_DEMO: '1', MALLPAY_SANDBOX: '1' },
    multiProcess: true,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface MallProcess {
  url: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
  stop: () => Promise<void>;
}

/** `npm start` as a separate process (so that it can be killed -9), on its own port. */
export async function startMallProcess(env: Record<string, string>): Promise<MallProcess> {
  // A PORT given keeps a restarted process at the address the providers already notify.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  // stdin stays a pipe from this process: die-with-parent.ts ends the mall when it closes.
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/die-with-parent.ts', 'src/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        PUBLIC_URL: url,
        LOG_LEVEL: 'warn',
        JOB_LEASE_SECONDS: '2',
        SANDBOX_TIME_SCALE: '600',
        // One process unless a test asks for more: a kill -9 then ends the whole instance.
        MALLPAY_WORKERS: '1',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? 137 : code)),
  );
  for (let i = 0; i < 240; i++) {
    if (proc.exitCode !== null) throw new Error(`mall process exited at start:\n${out}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok)
      return { url, proc, exited, output: () => out, stop: async () => void (proc.kill('SIGTERM'), await exited) };
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill('SIGKILL');
  throw new Error(`mall process did not become healthy:\n${out}`);
}

/** Polls until check() is truthy (real processes, real time); fails with what was last seen. */
export async function eventually<T>(check: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** A small HTTP client for a mall process, logged in as the demo accounts. */
export function client(url: string) {
  const tokens = new Map<string, string>();
  async function token(who: string) {
    if (!tokens.has(who)) {
      const r = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${who}@demo.test`, password: `demo-${who}` }),
      });
      tokens.set(who, ((await r.json()) as { token: string }).token);
    }
    return tokens.get(who)!;
  }
  return async (method: string, path: string, as?: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (as) headers.authorization = `Bearer ${await token(as)}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
}
