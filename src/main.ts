import cluster from 'node:cluster';
import { followPrimary, runPrimary } from './cluster.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './lib/log.ts';
import { loadSandboxFactory } from './sandbox-loader.ts';
import { startMall } from './server.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const log = createLogger(config.logLevel);
if (config.workers > 1 && cluster.isPrimary) runPrimary(config.workers, log);
else await serve(config, log);

async function serve(config: Config, log: Logger): Promise<void> {
  const mall = await startMall(config, { log, sandbox: await loadSandboxFactory(config) });
  // No password here, not even the demo ones: logs never carry credentials (the README lists the demo accounts).
  const notes = [
    config.demo && 'demo mode: accounts in the README',
    config.sandbox && 'built-in sandboxes: no real money',
  ];
  log.info(
    `mallpay is up: ${mall.url}${notes
      .filter(Boolean)
      .map((n) => ` (${n})`)
      .join('')}`,
  );

  const SHUTDOWN_DEADLINE_MS = 25_000;
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    // Within the usual 30 s an orchestrator allows: a job that will not finish is left to its lease, which
    // lets another instance take it, rather than holding this process up forever.
    setTimeout(() => {
      log.error({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting now');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // In-flight requests finish; jobs in hand finish or their lease lets another process take them.
    mall.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(signal));
  followPrimary(() => shutdown('primary gone'));
}
