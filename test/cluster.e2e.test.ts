import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { durableDatabase, eventually, startMallProcess, type MallProcess } from './support/process.ts';

/** The live child processes of a pid (the cluster's workers). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('MALLPAY_WORKERS', async () => {
  const db = await durableDatabase();
  afterAll(() => db.drop());

  if (!db.multiProcess) {
    it('refuses more than one worker on embedded PGlite, naming the setting', async () => {
      await expect(startMallProcess({ ...db.env, MALLPAY_WORKERS: '2' })).rejects.toThrow(/MALLPAY_WORKERS/);
    });
    return;
  }

  let mall: MallProcess;
  it('serves from several worker processes, replaces one that dies, and drains them all on SIGTERM', async () => {
    mall = await startMallProcess({ ...db.env, MALLPAY_WORKERS: '2', LOG_LEVEL: 'info' });
    const primary = mall.proc.pid!;
    await eventually(async () => mall.output().includes('"ready":2,"of":2'), 'both workers ready', 60_000);
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);

    // A worker killed -9 (its open connections reset, as they would) is replaced by the primary.
    process.kill(workers[0]!, 'SIGKILL');
    await eventually(async () => mall.output().includes('"signal":"SIGKILL","ready":1,"of":2'), 'one worker left');
    // The one left keeps serving while its replacement starts.
    expect((await fetch(`${mall.url}/healthz`)).status).toBe(200);
    await eventually(async () => mall.output().split('"ready":2,"of":2').length === 3, 'the replacement ready', 60_000);
    const replaced = childrenOf(primary);
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(workers[0]);

    mall.proc.kill('SIGTERM');
    expect(await mall.exited).toBe(0);
    for (const pid of replaced) expect(alive(pid), `worker ${pid} still running`).toBe(false);
  }, 90_000);
});
