// Prometheus text exposition (format 0.0.4) for GET /metrics: a few counters, gauges and one latency
// histogram, with no client library (the server stays one small process).
import { monitorEventLoopDelay } from 'node:perf_hooks';

type Labels = Record<string, string>;

const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

export class Counter {
  readonly name: string;
  readonly help: string;
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (!this.values.size) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Gauge {
  readonly name: string;
  readonly help: string;
  private readonly read: () => number;

  constructor(name: string, help: string, read: () => number) {
    this.name = name;
    this.help = help;
    this.read = read;
  }

  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      `${this.name} ${this.read()}`,
    ].join('\n');
  }
}

export class Histogram {
  readonly name: string;
  readonly help: string;
  private readonly buckets: number[];
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(name: string, help: string, buckets: number[]) {
    this.name = name;
    this.help = help;
    this.buckets = [...buckets].sort((a, b) => a - b);
    this.counts = this.buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) this.counts[i]!++;
  }

  get total(): number {
    return this.count;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => {
      lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`);
    });
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join('\n');
  }
}

/** Every figure the server exposes. Gauges read live values through the callbacks given here. */
export class Metrics {
  readonly connectionsTotal = new Counter('agency_sync_connections_total', 'WebSocket connections accepted.');
  readonly authenticated = new Counter(
    'agency_sync_authenticated_total',
    'Connections that proved their standing, by standing.',
  );
  readonly updatesIn = new Counter(
    'agency_sync_updates_in_total',
    'Yjs updates received from authenticated connections.',
  );
  readonly updatesOut = new Counter(
    'agency_sync_updates_out_total',
    'Yjs update frames relayed to connections.',
  );
  readonly updatesRetried = new Counter(
    'agency_sync_updates_retried_total',
    'Waiting updates checked again once what they waited for arrived.',
  );
  readonly actionsAccepted = new Counter(
    'agency_sync_actions_accepted_total',
    'Signed actions accepted and stored.',
  );
  readonly refusals = new Counter(
    'agency_sync_refusals_total',
    'Connections closed by the server, by reason (close code name).',
  );
  readonly bytesIn = new Counter('agency_sync_bytes_in_total', 'Bytes received in WebSocket messages.');
  readonly persistSeconds = new Histogram(
    'agency_sync_persist_seconds',
    'Time to write one event-loop turn of updates to SQLite (one transaction).',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  readonly roomLoadSeconds = new Histogram(
    'agency_sync_room_load_seconds',
    'Time to load a room from SQLite and derive its state.',
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  );
  private readonly gauges: Gauge[] = [];
  /** How late the event loop ran its callbacks: what every connection waits when one agency's work stalls it. */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loopDelay.enable();
  }

  /** Event-loop delay since the last scrape (or reset), in ms: p50, p99, max. */
  loopDelayMs(): { p50: number; p99: number; max: number } {
    const h = this.loopDelay;
    return { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  }

  stop(): void {
    this.loopDelay.disable();
  }

  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push(new Gauge(name, help, read));
  }

  render(): string {
    const memory = process.memoryUsage();
    const process_ = [
      new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => memory.rss),
      new Gauge('process_heap_used_bytes', 'V8 heap in use, in bytes.', () => memory.heapUsed),
      new Gauge(
        'process_array_buffers_bytes',
        'Memory held by ArrayBuffers outside the heap.',
        () => memory.arrayBuffers,
      ),
    ];
    const delay = this.loopDelayMs();
    this.loopDelay.reset();
    const loop = [
      '# HELP agency_sync_event_loop_delay_seconds How late the event loop ran callbacks since the last scrape.',
      '# TYPE agency_sync_event_loop_delay_seconds summary',
      `agency_sync_event_loop_delay_seconds{quantile="0.5"} ${delay.p50 / 1000}`,
      `agency_sync_event_loop_delay_seconds{quantile="0.99"} ${delay.p99 / 1000}`,
      `agency_sync_event_loop_delay_seconds{quantile="1"} ${delay.max / 1000}`,
    ].join('\n');
    return `${[
      loop,
      ...[
        ...this.gauges,
        this.connectionsTotal,
        this.authenticated,
        this.updatesIn,
        this.updatesOut,
        this.actionsAccepted,
        this.refusals,
        this.bytesIn,
        this.persistSeconds,
        this.roomLoadSeconds,
        ...process_,
      ].map((m) => m.render()),
    ].join('\n')}\n`;
  }
}
