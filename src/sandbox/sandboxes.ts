import { Hono } from 'hono';
import type { PaymentMethod } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { createAlipaySandbox } from './alipay/index.ts';
import { createNotifier } from './shared/notifier.ts';
import type { SandboxDeps } from './shared/sandbox.ts';
import { createUnionpaySandbox } from './unionpay/index.ts';
import { createWechatpaySandbox } from './wechatpay/index.ts';

/**
 * The built-in sandboxes of the methods that have no credentials, on one Hono app to be mounted at
 * /sandbox. Each issues the credentials mallpay then uses, exactly as it would use real ones.
 */
export async function createSandboxes(opts: { db: Db; clock: Clock; log: Logger; publicUrl: string; timeScale: number; methods: PaymentMethod[] }) {
  const notifier = createNotifier({ db: opts.db, clock: opts.clock, log: opts.log.child({ sandbox: true }), timeScale: opts.timeScale });
  const deps: SandboxDeps = { db: opts.db, clock: opts.clock, log: opts.log.child({ sandbox: true }), notifier, publicUrl: opts.publicUrl };
  const app = new Hono();
  const has = (m: PaymentMethod) => opts.methods.includes(m);
  const sandboxOpts = { timeScale: opts.timeScale };
  const alipay = has('alipay') ? await createAlipaySandbox(deps, sandboxOpts) : undefined;
  const wechatpay = has('wechatpay') ? await createWechatpaySandbox(deps, sandboxOpts) : undefined;
  const unionpay = has('unionpay') ? await createUnionpaySandbox(deps, sandboxOpts) : undefined;
  for (const s of [alipay, wechatpay, unionpay]) if (s) app.route(`/${s.provider}`, s.app);
  return {
    app,
    notifier,
    credentials: { alipay: alipay?.credentials, wechatpay: wechatpay?.credentials, unionpay: unionpay?.credentials },
    sandboxes: { alipay, wechatpay, unionpay },
  };
}

export type Sandboxes = Awaited<ReturnType<typeof createSandboxes>>;
