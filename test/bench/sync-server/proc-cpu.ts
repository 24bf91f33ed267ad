// A process's CPU time and its wait for a CPU, from /proc (Linux), for benchmarks on a machine shared with
// other work: wall-clock latency there says how busy the machine was as much as how the server did, while
// CPU time is the work done and the run-queue wait is what the rest of the machine cost it.
import { readdir, readFile } from 'node:fs/promises';

export interface CpuSample {
  /** User + system CPU time of every thread (ms). */
  cpuMs: number;
  /** Time the main thread (the event loop) was ready to run but waited for a CPU (ms). */
  mainWaitMs: number;
  /** The same, summed over every thread (ms). */
  waitMs: number;
}

/** `/proc/<pid>/schedstat`: time on a CPU and time waiting in the run queue, in ns. */
async function schedstat(path: string): Promise<{ run: number; wait: number }> {
  const [run, wait] = (await readFile(path, 'utf8')).trim().split(/\s+/).map(Number);
  return { run: run! / 1e6, wait: wait! / 1e6 };
}

export async function cpuSample(pid: number): Promise<CpuSample> {
  const tasks = await readdir(`/proc/${pid}/task`);
  let cpuMs = 0;
  let waitMs = 0;
  let mainWaitMs = 0;
  for (const tid of tasks) {
    const s = await schedstat(`/proc/${pid}/task/${tid}/schedstat`).catch(() => null);
    if (!s) continue; // a thread that ended meanwhile
    cpuMs += s.run;
    waitMs += s.wait;
    if (tid === String(pid)) mainWaitMs = s.wait;
  }
  return { cpuMs, mainWaitMs, waitMs };
}

/** What happened between two samples of one process. */
export const cpuSince = (before: CpuSample, after: CpuSample): CpuSample => ({
  cpuMs: after.cpuMs - before.cpuMs,
  mainWaitMs: after.mainWaitMs - before.mainWaitMs,
  waitMs: after.waitMs - before.waitMs,
});
