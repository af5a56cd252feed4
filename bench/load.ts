/**
 * The load generator: a separate process (forked by run.ts), so that its CPU and memory are not the
 * mall's. Each command arrives over IPC; `concurrency` keep-alive connections (node:http Agent, one
 * request in flight per connection) work through the requests until they run out or time is up.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadCommand, LoadResult, PreparedRequest } from './protocol.ts';

interface Answer {
  status: number;
  body: string;
}

function send(agent: http.Agent, base: URL, r: PreparedRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(cmd: LoadCommand): Promise<LoadResult> {
  const base = new URL(cmd.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cmd.concurrency, maxFreeSockets: cmd.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + cmd.durationMs;
  const note = (status: number, body: string, ok: boolean) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (!ok && failures.length < 5) failures.push(`${status} ${body.slice(0, 200)}`);
  };

  async function notifications() {
    const requests = cmd.requests ?? [];
    while (performance.now() < deadline) {
      const r = requests[next++];
      if (!r) return;
      const t0 = performance.now();
      const a = await send(agent, base, r);
      latencies.push(performance.now() - t0);
      note(a.status, a.body, a.status < 300 && (r.expect === undefined || a.body === r.expect));
    }
  }

  /** Place an order, then create its payment: one operation, timed end to end. */
  async function checkout(worker: number) {
    const c = cmd.checkout!;
    const auth = { authorization: `Bearer ${c.tokens[worker % c.tokens.length]}`, 'content-type': 'application/json' };
    while (performance.now() < deadline) {
      const i = next++;
      if (cmd.maxOperations !== undefined && i >= cmd.maxOperations) return;
      const sku = c.skus[i % c.skus.length]!;
      const t0 = performance.now();
      const placed = await send(agent, base, {
        method: 'POST',
        path: '/api/orders',
        headers: auth,
        body: JSON.stringify({ items: [{ sku, quantity: 1 }] }),
      });
      if (placed.status !== 201) {
        note(placed.status, placed.body, false);
        continue;
      }
      const { orderNo } = JSON.parse(placed.body) as { orderNo: string };
      const paid = await send(agent, base, {
        method: 'POST',
        path: `/api/orders/${orderNo}/payments`,
        headers: auth,
        body: JSON.stringify({ method: c.method, channel: c.channel }),
      });
      latencies.push(performance.now() - t0);
      note(paid.status, paid.body, paid.status === 201);
    }
  }

  const workers = Array.from({ length: cmd.concurrency }, (_, w) => (cmd.checkout ? checkout(w) : notifications()));
  await Promise.all(workers);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    id: cmd.id,
    sent: latencies.length,
    elapsedMs,
    statuses,
    failures,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ranOut: cmd.checkout ? false : next > (cmd.requests?.length ?? 0),
  };
}

process.on('message', (cmd: LoadCommand | { quit: true }) => {
  if ('quit' in cmd) {
    process.disconnect();
    return;
  }
  run(cmd).then(
    (result) => process.send!(result),
    (err: unknown) => process.send!({ id: cmd.id, error: err instanceof Error ? err.stack : String(err) }),
  );
});
process.send!({ ready: true });
