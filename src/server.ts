import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.ts';
import { notFoundHandler } from './http/errors.ts';
import type { Config } from './config.ts';
import { openDb, type Db } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { loadOrCreateSecret } from './db/secrets.ts';
import { seedDemo } from './demo/seed.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { createWorker, type Worker } from './lib/jobs.ts';
import { createLogger, type Logger } from './lib/log.ts';
import type { PaymentMethod, SandboxChaos } from './config.ts';
import { buildProviders, sandboxedMethods, type ProviderCredentials } from './providers/build.ts';
import { scheduleOperations } from './reconciliation/schedule.ts';

/**
 * What the built-in sandboxes (the top-level `sandbox/` folder, never imported by the product) give the
 * mall when the caller hands their factory in: demo mode's main.ts, the tests and the bench.
 */
export interface SandboxHost {
  app: Hono;
  credentials: ProviderCredentials;
  notifier: { start(): void; stop(): Promise<void> };
}
export type SandboxFactory<S extends SandboxHost> = (opts: {
  db: Db;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  timeScale: number;
  methods: PaymentMethod[];
  chaos?: SandboxChaos | undefined;
  /** ALIPAY_SANDBOX_KEY_MODE: the Alipay sandbox's merchant app in public-key or certificate mode. */
  alipayKeyMode?: 'public_key' | 'certificate';
}) => Promise<S>;

export interface Mall<S extends SandboxHost = SandboxHost> {
  url: string;
  db: Db;
  app: App;
  worker: Worker;
  sandboxes: S | undefined;
  close(): Promise<void>;
}

export interface StartOptions<S extends SandboxHost = SandboxHost> {
  /** Serves the methods without credentials when `config.sandbox` is on; without it none is served. */
  sandbox?: SandboxFactory<S> | undefined;
  db?: Db;
  clock?: Clock;
  log?: Logger;
  /** Start the job worker's and the sandbox notifier's polling loops (tests drive them by hand). */
  background?: boolean;
  providerTimeoutMs?: number;
}

/**
 * config → database → sandboxes → providers → app → listening server → background loops.
 * The server listens first so that port 0 (tests) yields the URL providers and browsers reach.
 */
export async function startMall<S extends SandboxHost = SandboxHost>(
  config: Config,
  opts: StartOptions<S> = {},
): Promise<Mall<S>> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const db =
    opts.db ??
    (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize }));
  await migrate(db);

  const root = new Hono();
  const ready: { fetch?: (req: Request) => Response | Promise<Response> } = {};
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: (req) => (ready.fetch ? ready.fetch(req) : new Response('starting', { status: 503 })),
        hostname: config.host,
        port: config.port,
      },
      () => resolve(s),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.port === 0 ? `http://127.0.0.1:${port}` : config.publicUrl;
  const effective: Config = { ...config, port, publicUrl };

  const sandboxMethods = sandboxedMethods(effective);
  if (sandboxMethods.length && !opts.sandbox) throw new Error(`no sandbox was given for ${sandboxMethods.join(', ')}`);
  const sandboxes =
    sandboxMethods.length && opts.sandbox
      ? await opts.sandbox({
          db,
          clock,
          log,
          publicUrl,
          timeScale: config.sandboxTimeScale,
          methods: sandboxMethods,
          chaos: config.sandboxChaos,
          alipayKeyMode: config.alipaySandboxKeyMode,
        })
      : undefined;
  const providers = buildProviders(
    effective.paymentMethods,
    {
      alipay: effective.alipay ?? sandboxes?.credentials.alipay,
      wechatpay: effective.wechatpay ?? sandboxes?.credentials.wechatpay,
      unionpay: effective.unionpay ?? sandboxes?.credentials.unionpay,
    },
    { clock, log, timeoutMs: opts.providerTimeoutMs },
  );
  const app = createApp({
    db,
    clock,
    log,
    config: effective,
    providers,
    csrfSecret: await loadOrCreateSecret(db, 'csrf'),
  });
  if (config.demo) await seedDemo(db, app.services.accounts);

  if (sandboxes) root.route('/sandbox', sandboxes.app);
  root.route('/', app.app);
  // Paths no router knows answer in the contract's error shape here too.
  root.notFound(notFoundHandler as never);
  ready.fetch = root.fetch;

  const worker = createWorker({
    db,
    clock,
    log: log.child({ worker: true }),
    handlers: app.jobs,
    leaseMs: config.jobLeaseSeconds * 1000,
  });
  if (opts.background !== false) {
    // Daily reconciliation and the consistency checker; tests schedule them by hand.
    await scheduleOperations(db, clock);
    worker.start();
    sandboxes?.notifier.start();
  }
  log.info(
    { url: publicUrl, database: db.kind, methods: Object.keys(providers), sandboxed: sandboxMethods },
    'mallpay listening',
  );

  return {
    url: publicUrl,
    db,
    app,
    worker,
    sandboxes,
    async close() {
      await worker.stop();
      await sandboxes?.notifier.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open until they time out.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await db.close();
    },
  };
}
