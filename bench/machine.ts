/** What the machine was doing: CPU from /proc/stat, this process's CPU and resident set size. */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

function procStat(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU ticks (1/100 s) used so far by every process named postgres: the server's backends, ours and anyone else's. */
function postgresTicks(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks;
}

export interface Usage {
  /** Whole machine, in cores busy (2.0 = both cores). */
  machineCores: number;
  /** This process (the mall and its sandboxes), in cores. */
  mallCores: number;
  /** Processes named postgres (a backend that ended during the span is missed). */
  postgresCores: number;
  rssMaxMb: number;
  rssAvgMb: number;
}

/** Samples RSS every 100 ms from start() to stop(), and CPU over the same span. */
export function sampler() {
  const rss: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stat0 = procStat();
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  let pg0 = 0;
  return {
    start() {
      rss.length = 0;
      stat0 = procStat();
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      pg0 = postgresTicks();
      rss.push(process.memoryUsage().rss);
      timer = setInterval(() => rss.push(process.memoryUsage().rss), 100);
    },
    stop(): Usage {
      clearInterval(timer);
      rss.push(process.memoryUsage().rss);
      const stat = procStat();
      const cpu = process.cpuUsage(cpu0);
      const seconds = (performance.now() - t0) / 1000;
      const cores = os.cpus().length;
      const mb = (b: number) => b / 1024 / 1024;
      return {
        machineCores: ((stat.busy - stat0.busy) / Math.max(1, stat.total - stat0.total)) * cores,
        mallCores: (cpu.user + cpu.system) / 1e6 / seconds,
        postgresCores: Math.max(0, (postgresTicks() - pg0) / 100 / seconds),
        rssMaxMb: mb(Math.max(...rss)),
        rssAvgMb: mb(rss.reduce((a, b) => a + b, 0) / rss.length),
      };
    },
  };
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** What the machine is busy with before the bench starts (other people's work on a shared machine), in cores. */
export async function backgroundCores(ms = 2000): Promise<number> {
  const s = sampler();
  s.start();
  await new Promise((r) => setTimeout(r, ms));
  const u = s.stop();
  return u.machineCores - u.mallCores;
}

export const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));
