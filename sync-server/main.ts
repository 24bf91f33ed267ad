// `npm run sync-server -- --port 1234 --data ./data`: starts the server and stops it cleanly on SIGINT or
// SIGTERM (pending updates written, connections told to reconnect). See --help and sync-server/README.md.
import { parseArgs, USAGE } from './args.ts';
import { createLogger, type LogLevel } from './log.ts';
import { Store } from './persistence.ts';
import { PgStore } from './pg-store.ts';
import { startSyncServer } from './server.ts';

const parsed = parseArgs(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.message);
  process.exit(2);
}
if (parsed.kind === 'backup') {
  const store = Store.open(parsed.dataDir);
  try {
    store.backup(parsed.file);
    console.log(JSON.stringify({ msg: 'backup written', from: store.path, to: parsed.file }));
  } finally {
    store.close();
  }
  process.exit(0);
}
if (parsed.kind === 'migrate') {
  // The tables every instance also creates on start, made once by the operator (deploy/README.md) so a
  // wrong address or a missing right shows before any instance runs.
  try {
    const store = await PgStore.open(parsed.store, 'migrate');
    const tables = await store.tables();
    await store.close();
    console.log(JSON.stringify({ msg: 'schema ready', store: store.path, tables }));
    process.exit(0);
  } catch (error) {
    console.error(`migrate failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

const log = createLogger(parsed.options.logLevel as LogLevel);
try {
  const server = await startSyncServer({ ...parsed.options, logger: log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  log.error('failed to start', { error });
  process.exit(1);
}
