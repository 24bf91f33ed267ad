// The bench asks each server child for its figures over IPC: {id, cmd: 'stats' | 'gc'}.
export interface ChildStats {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  /** User + system CPU time of the process, in microseconds. */
  cpu: number;
  rooms: number;
}

export function answer(rooms: () => number): void {
  process.on('message', (m: { id?: number; cmd?: string }) => {
    if (m.cmd === 'exit') process.exit(0); // lets --cpu-prof write its profile
    if (m.id === undefined) return;
    if (m.cmd === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) gc?.();
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const stats: ChildStats = {
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      arrayBuffers: mem.arrayBuffers,
      cpu: cpu.user + cpu.system,
      rooms: rooms(),
    };
    process.send!({ id: m.id, stats });
  });
}
