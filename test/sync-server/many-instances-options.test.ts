// The command line of many instances: --store and --redis go together, each with its own scheme; without
// them the options are those of one process with its SQLite file.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../sync-server/args.ts';

const error = (argv: string[]) => {
  const r = parseArgs(argv, {});
  return r.kind === 'error' ? r.message : null;
};

describe('many-instance options', () => {
  it('takes --store postgres://… with --redis redis://…, from flags or the environment', () => {
    const flags = parseArgs(
      [
        '--store',
        'postgres://a:b@db/agency',
        '--redis',
        'redis://cache:6379',
        '--advertise',
        '10.0.0.5:1234',
      ],
      {},
    );
    expect(flags.kind === 'serve' && flags.options).toMatchObject({
      store: 'postgres://a:b@db/agency',
      redis: 'redis://cache:6379',
      advertise: '10.0.0.5:1234',
      leaseMs: 2500,
    });
    const env = parseArgs([], { STORE_URL: 'postgresql://db/x', REDIS_URL: 'rediss://cache' });
    expect(env.kind === 'serve' && env.options).toMatchObject({
      store: 'postgresql://db/x',
      redis: 'rediss://cache',
    });
  });

  it('refuses one without the other, and addresses of another kind, saying which', () => {
    expect(error(['--store', 'postgres://db/agency'])).toMatch(/--store needs --redis/);
    expect(error(['--redis', 'redis://cache'])).toMatch(/--redis is used only with --store/);
    expect(error(['--store', 'mysql://db/agency', '--redis', 'redis://cache'])).toMatch(/postgres:\/\//);
    expect(error(['--store', 'postgres://db/agency', '--redis', 'http://cache'])).toMatch(/redis:\/\//);
  });

  it('leaves the single process unchanged without them', () => {
    const r = parseArgs(['--data', '/srv/agency'], {});
    expect(r.kind === 'serve' && r.options.store).toBeUndefined();
    expect(r.kind === 'serve' && r.options.redis).toBeUndefined();
  });

  it('migrate takes the store alone, from --store or STORE_URL, and needs one', () => {
    expect(parseArgs(['migrate', '--store', 'postgres://a@db/x'], {})).toEqual({
      kind: 'migrate',
      store: 'postgres://a@db/x',
    });
    expect(parseArgs(['migrate'], { STORE_URL: 'postgres://a@db/y' })).toEqual({
      kind: 'migrate',
      store: 'postgres://a@db/y',
    });
    expect(error(['migrate'])).toMatch(/migrate needs --store/);
    expect(error(['migrate', '--store', 'mysql://db/x'])).toMatch(/postgres:\/\//);
    expect(error(['migrate', 'now', '--store', 'postgres://db/x'])).toMatch(/Unexpected argument now/);
  });
});
