/** The results' shape (bench/results/latest.json) and the table printed at the end of a run. */
import type { PgbenchRun } from './pgbench.ts';
import type { StatementRow } from './statements.ts';

export interface NotificationRun {
  provider: string;
  clients: number;
  prepared: number;
  sent: number;
  elapsedSeconds: number;
  ranOut: boolean;
  outcomes: Record<string, number>;
  paymentsSucceeded: number;
  appliedPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  failures: string[];
  /** CPU, in cores (2.0 = both): the mall's process, the load generator, the whole machine. */
  mallCores: number;
  loadCores: number;
  postgresCores: number;
  machineCores: number;
  rssMaxMb: number;
  buildSeconds: number;
}

export interface Results {
  when: string;
  database: 'pglite' | 'postgres';
  postgresVersion: string | null;
  seconds: number;
  logLevel: string;
  node: string;
  /** Other work on the (shared) machine just before the start, in cores, and the load average. */
  background: { cores: number; loadAverage: number[] };
  loadAverageAtEnd: number[];
  machine: { cpus: number; cpuModel: string; memGb: number; kernel: string };
  memory: { idleMb: number; underLoadMaxMb: number; underLoadAvgMb: number };
  notifications: NotificationRun[];
  checkout: {
    clients: number;
    completed: number;
    paymentsCreated: number;
    elapsedSeconds: number;
    perSecond: number;
    p50Ms: number;
    p90Ms: number;
    p99Ms: number;
    maxMs: number;
    statuses: Record<string, number>;
    failures: string[];
    mallCores: number;
    loadCores: number;
    postgresCores: number;
    machineCores: number;
  } | null;
  statements: StatementRow[];
  pgbench: { version: string; runs: PgbenchRun[] } | null;
  totalSeconds: number;
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  return [line(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export function printReport(r: Results): void {
  const out: string[] = [];
  out.push(
    `\nmallpay bench — ${r.database}${r.postgresVersion ? ` ${r.postgresVersion}` : ''}, node ${r.node}, ${r.machine.cpus} cores, ${r.seconds} s per run, LOG_LEVEL=${r.logLevel}`,
  );
  out.push(
    `other work on the machine before the start: ${f2(r.background.cores)} cores busy, load average ${r.background.loadAverage.join(' ')} (at the end ${r.loadAverageAtEnd.join(' ')})\n`,
  );
  const tps = (c: number) => r.pgbench?.runs.find((p) => p.clients === c)?.tps;
  out.push(
    'Payment notifications (each applied once; UnionPay includes its confirming queryTrans to the in-process sandbox)',
  );
  out.push(
    table(
      [
        'provider',
        'conns',
        'applied/s',
        'p50 ms',
        'p99 ms',
        'applied',
        'dup',
        'rejected',
        'run s',
        'mall cores',
        'loadgen cores',
        'pg cores',
        'machine cores',
        ...(r.pgbench ? ['pgbench tps', 'ratio'] : []),
      ],
      r.notifications.map((n) => [
        n.provider,
        n.clients,
        f0(n.appliedPerSecond),
        f1(n.p50Ms),
        f1(n.p99Ms),
        n.outcomes.applied ?? 0,
        n.outcomes.duplicate ?? 0,
        n.outcomes.rejected ?? 0,
        `${f1(n.elapsedSeconds)}${n.ranOut ? '*' : ''}`,
        f2(n.mallCores),
        f2(n.loadCores),
        f2(n.postgresCores),
        f2(n.machineCores),
        ...(r.pgbench ? [f0(tps(n.clients) ?? NaN), f2(n.appliedPerSecond / (tps(n.clients) ?? NaN))] : []),
      ]),
    ),
  );
  if (r.notifications.some((n) => n.ranOut))
    out.push('* ran out of prepared notifications before the time was up: rate over the shorter run');
  if (r.checkout) {
    const c = r.checkout;
    out.push('\nCheckout: place order + create payment (Alipay QR through the sandbox), one operation');
    out.push(
      table(
        [
          'conns',
          'per s',
          'p50 ms',
          'p99 ms',
          'completed',
          'statuses',
          'mall cores',
          'loadgen cores',
          'pg cores',
          'machine cores',
        ],
        [
          [
            c.clients,
            f0(c.perSecond),
            f1(c.p50Ms),
            f1(c.p99Ms),
            c.completed,
            JSON.stringify(c.statuses),
            f2(c.mallCores),
            f2(c.loadCores),
            f2(c.postgresCores),
            f2(c.machineCores),
          ],
        ],
      ),
    );
  }
  out.push('\nSQL statements per operation (db.statements.count delta, transaction control included)');
  out.push(
    table(
      ['operation', 'total', 'mallpay', 'sandbox', 'what'],
      r.statements.map((s) => [s.operation, s.total, s.mallpay, s.sandbox, s.note]),
    ),
  );
  out.push(
    `\nMemory (RSS of the mall's process): idle ${f0(r.memory.idleMb)} MB; under the ${Math.max(...r.notifications.map((n) => n.clients))}-connection notification load max ${f0(r.memory.underLoadMaxMb)} MB, mean ${f0(r.memory.underLoadAvgMb)} MB`,
  );
  if (r.pgbench) {
    out.push(`\npgbench (${r.pgbench.version}; TPC-B-like, -s 10, -j 2, -M prepared, ${r.seconds} s)`);
    out.push(
      table(
        ['clients', 'tps', 'latency avg ms'],
        r.pgbench.runs.map((p) => [p.clients, f0(p.tps), f1(p.latencyAvgMs ?? NaN)]),
      ),
    );
  }
  const maxC = Math.max(...r.notifications.map((n) => n.clients));
  const atMax = r.notifications.filter((n) => n.clients === maxC);
  const notifyStmts = r.statements.filter((s) => s.operation.startsWith('apply a payment notification'));
  out.push('\nTargets');
  const targets: [string, string, boolean][] = [
    [
      "≤ 6 statements per applied notification (mallpay's, tx control included)",
      notifyStmts.map((s) => `${s.operation.split(': ')[1]} ${s.mallpay}`).join(', '),
      notifyStmts.every((s) => s.mallpay <= 6),
    ],
    [
      `p99 < 50 ms at ${maxC} connections`,
      atMax.map((n) => `${n.provider} ${f1(n.p99Ms)}`).join(', '),
      atMax.every((n) => n.p99Ms < 50),
    ],
    ['RSS < 200 MB under load', `${f0(r.memory.underLoadMaxMb)} MB`, r.memory.underLoadMaxMb < 200],
  ];
  if (r.database === 'pglite') {
    const best = (p: string) =>
      Math.max(...r.notifications.filter((n) => n.provider === p).map((n) => n.appliedPerSecond));
    const providers = [...new Set(r.notifications.map((n) => n.provider))];
    targets.push([
      '≥ 1,000 applied/s on PGlite (best of the client counts)',
      providers.map((p) => `${p} ${f0(best(p))}`).join(', '),
      providers.every((p) => best(p) >= 1000),
    ]);
  }
  if (r.pgbench) {
    targets.push([
      'applied/s ≥ ½ pgbench tps (same client count)',
      r.notifications
        .map((n) => `${n.provider}@${n.clients} ${f2(n.appliedPerSecond / (tps(n.clients) ?? NaN))}`)
        .join(', '),
      r.notifications.every((n) => n.appliedPerSecond >= 0.5 * (tps(n.clients) ?? Infinity)),
    ]);
  }
  out.push(
    table(
      ['target', 'measured', 'met'],
      targets.map(([t, m, ok]) => [t, m, ok ? 'yes' : 'NO']),
    ),
  );
  console.log(out.join('\n'));
}
