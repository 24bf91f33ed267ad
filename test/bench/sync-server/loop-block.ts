// Preloaded into the server by the attack bench (`node --import`): how long the event loop was held, in CPU
// time of the main thread, between two turns of its timer phase. Other agencies' messages wait that long,
// however fast the machine; unlike the loop's wall-clock delay it does not grow when other processes take
// the CPU. SIGUSR1 starts afresh; SIGUSR2 writes the figures since then to $LOOP_BLOCK_FILE.
import { writeFileSync } from 'node:fs';

const EVERY_MS = 2;
const blocks: number[] = [];
const cpu = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
let last = cpu();
setInterval(() => {
  const now = cpu();
  blocks.push(now - last);
  last = now;
}, EVERY_MS).unref();

process.on('SIGUSR1', () => {
  blocks.length = 0;
  last = cpu();
});
process.on('SIGUSR2', () => {
  const sorted = [...blocks].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  const file = process.env.LOOP_BLOCK_FILE;
  if (file)
    writeFileSync(
      file,
      JSON.stringify({
        turns: sorted.length,
        p99: q(0.99),
        p999: q(0.999),
        max: sorted.at(-1) ?? 0,
        over50: sorted.filter((b) => b > 50).length,
        over250: sorted.filter((b) => b > 250).length,
      }),
    );
});
