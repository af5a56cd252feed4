import { runStorm } from './storm.ts';

/**
 * `npm run storm`: the large storm (STORM_ORDERS, default 10,000), 3 processes on PostgreSQL when
 * DATABASE_URL is set (its own database, created and dropped), else one on PGlite. Prints the figures as
 * one JSON line; exits 1 when anything was lost, moved twice or left stuck.
 */
const report = await runStorm({
  orders: Number(process.env.STORM_ORDERS ?? 10_000),
  processes: Number(process.env.STORM_PROCESSES ?? 3),
  concurrency: Number(process.env.STORM_CONCURRENCY ?? 48),
  seed: Number(process.env.STORM_SEED ?? 42),
  quietTimeoutMs: Number(process.env.STORM_QUIET_SECONDS ?? 300) * 1000,
  progress: (line) => console.error(line),
});
console.log(JSON.stringify(report));
process.exit(report.quiet && report.violations.length === 0 && report.mismatches.length === 0 ? 0 : 1);
