/** BENCH_PROFILE=alipay@16: a CPU profile of the mall's process during that one run, summarised by self time. */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export async function profiled<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    session.disconnect();
    await writeFile(file, JSON.stringify(profile));
    console.error(summarise(profile));
  }
}

/** Self time by function and by where it lives (pglite, crypto, pino, hono …), top entries. */
function summarise(p: Profile): string {
  const dt = new Map<number, number>();
  p.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const ms = (dt.get(n.id) ?? 0) / 1000;
    total += ms;
    const where = n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
  }
  const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30);
  return [
    `profile: ${total.toFixed(0)} ms sampled`,
    ...top.map(([k, v]) => `${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`),
  ].join('\n');
}
