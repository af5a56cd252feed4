import { loadConfig, PAYMENT_METHODS } from '../config.ts';
import { createLogger } from '../lib/log.ts';
import { isBillDate, previousBeijingDate } from './reconciliation.ts';
import { loadSandboxFactory } from '../sandbox-loader.ts';
import { startMall } from '../server.ts';

/**
 * `npm run reconcile -- --date YYYY-MM-DD [--provider alipay]`: reconciles that Beijing day now (default:
 * yesterday). It starts the mall without background loops on a spare port, so sandboxed providers answer
 * from the same database; with embedded PGlite, stop the running server first (one process per data dir).
 */
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const config = loadConfig({ ...process.env, PORT: '0' });
const log = createLogger(config.logLevel);
const date = arg('date') ?? previousBeijingDate(new Date());
if (!isBillDate(date)) {
  console.error(`usage: npm run reconcile -- --date YYYY-MM-DD [--provider ${PAYMENT_METHODS.join('|')}]`);
  process.exit(2);
}
const mall = await startMall(config, { log, background: false, sandbox: await loadSandboxFactory(config) });
let failed = false;
try {
  const only = arg('provider');
  for (const provider of Object.values(mall.app.providers)) {
    if (only && provider.method !== only) continue;
    const outcome = await mall.app.services.reconciliation.reconcile(provider, date);
    console.log(JSON.stringify({ provider: provider.method, date, ...outcome }));
    if (outcome.kind === 'unknown') failed = true;
  }
  // Remedies may have enqueued work (automatic refunds): run it before leaving.
  await mall.worker.drain();
} finally {
  await mall.close();
}
process.exit(failed ? 1 : 0);
