// Command-line options (with environment variables as fallbacks) for main.ts.
import { isLogLevel, LOG_LEVELS } from './log.ts';
import { DEFAULTS, type SyncServerOptions } from './server.ts';

interface OptionSpec {
  flag: string;
  env?: string;
  key: keyof SyncServerOptions;
  kind: 'int' | 'string' | 'bool';
  help: string;
  fallback?: string;
}

const SPECS: OptionSpec[] = [
  {
    flag: '--port',
    env: 'PORT',
    key: 'port',
    kind: 'int',
    help: 'Port to listen on (0 picks a free one).',
    fallback: String(DEFAULTS.port),
  },
  {
    flag: '--host',
    env: 'HOST',
    key: 'host',
    kind: 'string',
    help: 'Address to listen on. Loopback only by default; use 0.0.0.0 to accept other machines.',
    fallback: DEFAULTS.host,
  },
  {
    flag: '--data',
    env: 'DATA_DIR',
    key: 'dataDir',
    kind: 'string',
    help: 'Folder of the data file (agency-overlay.sqlite); created if missing.',
    fallback: './data',
  },
  {
    flag: '--store',
    env: 'STORE_URL',
    key: 'store',
    kind: 'string',
    help: 'postgres://user:password@host/db: keep agencies in Postgres and run as one of many instances behind a load balancer (needs --redis; --data is then unused). Without it: one process, one SQLite file.',
  },
  {
    flag: '--redis',
    env: 'REDIS_URL',
    key: 'redis',
    kind: 'string',
    help: 'redis://host:port: how instances sharing --store agree which one serves each agency.',
  },
  {
    flag: '--advertise',
    env: 'ADVERTISE',
    key: 'advertise',
    kind: 'string',
    help: 'host:port the other instances reach this one at (with --store). Default: the listening address.',
  },
  {
    flag: '--lease-ms',
    env: 'LEASE_MS',
    key: 'leaseMs',
    kind: 'int',
    help: "With --store: how long an instance's hold on an agency outlives its last renewal (a killed instance's agencies move after it).",
    fallback: String(DEFAULTS.leaseMs),
  },
  {
    flag: '--create-token',
    env: 'CREATE_TOKEN',
    key: 'createToken',
    kind: 'string',
    help: 'Creating a new agency needs this token. Without it, creation is open only while the server listens on loopback (and not with --trust-proxy).',
  },
  {
    flag: '--log-level',
    env: 'LOG_LEVEL',
    key: 'logLevel',
    kind: 'string',
    help: `One of ${LOG_LEVELS.join(', ')}.`,
    fallback: DEFAULTS.logLevel,
  },
  {
    flag: '--max-message-bytes',
    env: 'MAX_MESSAGE_BYTES',
    key: 'maxMessageBytes',
    kind: 'int',
    help: 'Largest WebSocket message accepted (a long-offline member catches up in one).',
    fallback: String(DEFAULTS.maxMessageBytes),
  },
  {
    flag: '--max-memory',
    env: 'MAX_MEMORY',
    key: 'maxMemory',
    kind: 'int',
    help: 'Memory budget in bytes: past 85% of it the server refuses new connections, agencies and large messages (clients retry later) instead of running out of memory.',
    fallback: String(DEFAULTS.maxMemory),
  },
  {
    flag: '--max-rooms',
    env: 'MAX_ROOMS',
    key: 'maxRooms',
    kind: 'int',
    help: 'Agencies kept in memory at most (idle ones are unloaded first).',
    fallback: String(DEFAULTS.maxRooms),
  },
  {
    flag: '--max-connections-per-ip',
    env: 'MAX_CONNECTIONS_PER_IP',
    key: 'maxConnectionsPerIp',
    kind: 'int',
    help: 'Open connections allowed from one address.',
    fallback: String(DEFAULTS.maxConnectionsPerIp),
  },
  {
    flag: '--actions-per-second',
    env: 'ACTIONS_PER_SECOND',
    key: 'actionsPerSecond',
    kind: 'int',
    help: 'New actions per second per connection, sustained.',
    fallback: String(DEFAULTS.actionsPerSecond),
  },
  {
    flag: '--action-burst',
    env: 'ACTION_BURST',
    key: 'actionBurst',
    kind: 'int',
    help: 'New actions a connection may send at once on top of the rate.',
    fallback: String(DEFAULTS.actionBurst),
  },
  {
    flag: '--idle-unload-ms',
    env: 'IDLE_UNLOAD_MS',
    key: 'idleUnloadMs',
    kind: 'int',
    help: 'Unload an agency this long after its last connection left.',
    fallback: String(DEFAULTS.idleUnloadMs),
  },
  {
    flag: '--heartbeat-ms',
    env: 'HEARTBEAT_MS',
    key: 'heartbeatMs',
    kind: 'int',
    help: 'Send every connection something at least this often (clients give up after 30 s of silence).',
    fallback: String(DEFAULTS.heartbeatMs),
  },
  {
    flag: '--ping-ms',
    env: 'PING_MS',
    key: 'pingMs',
    kind: 'int',
    help: 'Ping every member this often; one that answered nothing since the last ping is dropped.',
    fallback: String(DEFAULTS.pingMs),
  },
  {
    flag: '--trust-proxy',
    env: 'TRUST_PROXY',
    key: 'trustProxy',
    kind: 'bool',
    help: 'Running behind a reverse proxy: read client addresses from X-Forwarded-For.',
  },
];

export const USAGE = `Agency Overlay sync server: a y-websocket server only an agency's members can write to.

Usage: npm run sync-server -- [options]
       node sync-server/main.ts [options]
       node sync-server/main.ts backup <file> [--data DIR]   copy the data file while the server runs
       node sync-server/main.ts migrate --store postgres://…  create or upgrade the many-instance tables, then exit

Options (environment variable in brackets):
${SPECS.map((s) => `  ${`${s.flag}${s.kind === 'bool' ? '' : ' <value>'}`.padEnd(30)} ${s.help}${s.fallback ? ` Default: ${s.fallback}.` : ''}${s.env ? ` [${s.env}]` : ''}`).join('\n')}
  ${'--help'.padEnd(30)} Print this help.

Endpoints: ws://HOST:PORT/<agency id> (WebSocket), GET /healthz, GET /metrics (Prometheus text).`;

export type Parsed =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'serve'; options: SyncServerOptions }
  | { kind: 'backup'; dataDir: string; file: string }
  | { kind: 'migrate'; store: string };

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  const values: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = SPECS.find((s) => s.flag === flag);
    if (!spec) return { kind: 'error', message: `Unknown option ${flag} (see --help).` };
    if (spec.kind === 'bool') {
      values[spec.key] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return { kind: 'error', message: `${flag} needs a value.` };
    values[spec.key] = value;
  }
  const options: Record<string, unknown> = {};
  for (const spec of SPECS) {
    let raw = values[spec.key];
    if (raw === undefined && spec.env && env[spec.env] !== undefined && env[spec.env] !== '')
      raw = env[spec.env];
    if (raw === undefined) raw = spec.fallback;
    if (raw === undefined) continue;
    if (spec.kind === 'bool') options[spec.key] = raw === true || raw === 'true' || raw === '1';
    else if (spec.kind === 'int') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0)
        return { kind: 'error', message: `${spec.flag} must be a whole number, got "${raw}".` };
      options[spec.key] = n;
    } else options[spec.key] = raw;
  }
  if (!isLogLevel(String(options.logLevel)))
    return { kind: 'error', message: `--log-level must be one of ${LOG_LEVELS.join(', ')}.` };
  if (options.redis && !options.store)
    return { kind: 'error', message: '--redis is used only with --store postgres://… (many instances).' };
  if (options.store && !/^postgres(ql)?:\/\//.test(String(options.store)))
    return { kind: 'error', message: '--store must be a postgres:// address.' };
  if (positional[0] === 'migrate') {
    if (!options.store)
      return { kind: 'error', message: 'migrate needs --store postgres://… (or STORE_URL).' };
    if (positional.length > 1)
      return { kind: 'error', message: `Unexpected argument ${positional[1]} (see --help).` };
    return { kind: 'migrate', store: String(options.store) };
  }
  if (options.store && !options.redis)
    return { kind: 'error', message: '--store needs --redis redis://… (instances coordinate through it).' };
  if (options.redis && !/^rediss?:\/\//.test(String(options.redis)))
    return { kind: 'error', message: '--redis must be a redis:// address.' };
  if (positional[0] === 'backup') {
    if (!positional[1]) return { kind: 'error', message: 'backup needs a destination file.' };
    return { kind: 'backup', dataDir: String(options.dataDir), file: positional[1] };
  }
  if (positional.length)
    return { kind: 'error', message: `Unexpected argument ${positional[0]} (see --help).` };
  return { kind: 'serve', options: options as unknown as SyncServerOptions };
}
