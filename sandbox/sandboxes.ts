import { Hono } from 'hono';
import type { PaymentMethod, SandboxChaos } from '../src/config.ts';
import type { Db } from '../src/db/client.ts';
import type { Clock } from '../src/lib/clock.ts';
import type { Logger } from '../src/lib/log.ts';
import { createAlipaySandbox } from './alipay/index.ts';
import { Chaos } from './shared/chaos.ts';
import { createNotifier } from './shared/notifier.ts';
import type { SandboxDeps } from './shared/sandbox.ts';
import { createUnionpaySandbox } from './unionpay/index.ts';
import { createWechatpaySandbox } from './wechatpay/index.ts';

/**
 * The built-in sandboxes of the methods that have no credentials, on one Hono app to be mounted at
 * /sandbox. Each issues the credentials mallpay then uses, exactly as it would use real ones.
 */
export async function createSandboxes(opts: {
  db: Db;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  timeScale: number;
  methods: PaymentMethod[];
  chaos?: SandboxChaos | undefined;
  /** The Alipay sandbox's merchant app in certificate mode (公钥证书) instead of public-key mode. */
  alipayKeyMode?: 'public_key' | 'certificate';
}) {
  // One generator for the process: every sandbox's calls and the shared notifier draw from it.
  const chaos = opts.chaos ? new Chaos(opts.chaos) : undefined;
  const notifier = createNotifier({
    db: opts.db,
    clock: opts.clock,
    log: opts.log.child({ sandbox: true }),
    timeScale: opts.timeScale,
    chaos,
  });
  const deps: SandboxDeps = {
    db: opts.db,
    clock: opts.clock,
    log: opts.log.child({ sandbox: true }),
    notifier,
    publicUrl: opts.publicUrl,
  };
  const app = new Hono();
  const has = (m: PaymentMethod) => opts.methods.includes(m);
  const sandboxOpts = { timeScale: opts.timeScale };
  const alipay = has('alipay')
    ? await createAlipaySandbox(deps, { ...sandboxOpts, keyMode: opts.alipayKeyMode ?? 'public_key' })
    : undefined;
  const wechatpay = has('wechatpay') ? await createWechatpaySandbox(deps, sandboxOpts) : undefined;
  const unionpay = has('unionpay') ? await createUnionpaySandbox(deps, sandboxOpts) : undefined;
  for (const s of [alipay, wechatpay, unionpay]) if (s) s.faults.useChaos(chaos);
  // What the chaos did in this process (the storm test sums it over its processes); off: null.
  app.get('/_control/chaos', (c) => c.json(chaos ? { settings: chaos.settings, ...chaos.stats } : null));
  for (const s of [alipay, wechatpay, unionpay]) if (s) app.route(`/${s.provider}`, s.app);
  return {
    app,
    notifier,
    credentials: { alipay: alipay?.credentials, wechatpay: wechatpay?.credentials, unionpay: unionpay?.credentials },
    sandboxes: { alipay, wechatpay, unionpay },
  };
}

export type Sandboxes = Awaited<ReturnType<typeof createSandboxes>>;
