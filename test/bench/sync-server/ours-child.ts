// Our server for the benchmark, in its own process, with limits raised for one machine driving thousands
// of connections from one address. argv[2]: data folder (already seeded by the bench).
import { startSyncServer } from '../../../sync-server/server.ts';
import { answer } from './ipc.ts';

const dataDir = process.argv[2]!;
const server = await startSyncServer({
  port: 0,
  dataDir,
  logLevel: 'silent',
  maxConnectionsPerIp: 100_000,
  maxRooms: 100_000,
  actionsPerSecond: 100_000,
  actionBurst: 100_000,
  messagesPerSecond: 100_000,
  messageBurst: 100_000,
  idleUnloadMs: Number(process.env.IDLE_UNLOAD_MS) || undefined,
  deriveIdleMs: Number(process.env.DERIVE_IDLE_MS) || undefined,
});
answer(() => server.stats().rooms);
process.send!({ ready: server.port });
