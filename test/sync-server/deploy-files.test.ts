// The files in deploy/ checked by the tools that will read them, where this machine has them: HAProxy's own
// configuration check for 0, 1, 2 and 16 instances, systemd's unit verifier, the instance wrapper under a
// Node too old, and compose.yaml (no Docker here) parsed as YAML and checked for the shape Compose needs.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/child.ts';

const run = promisify(execFile);
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

async function outcome(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = ROOT,
): Promise<{ code: number; out: string }> {
  try {
    const r = await run(file, args, { env, cwd });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

function need(file: string, pkg: string): void {
  if (!existsSync(file))
    throw new Error(`${file} is missing: install Debian's ${pkg} (apt-get install -y ${pkg}); .ci/run does`);
}

/** `haproxy -c` of deploy/haproxy.cfg with `n` instances named (and every other AO_INSTANCE_k empty). */
async function haproxyCheck(n: number): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, AO_BIND: '127.0.0.1:8080' };
  for (let i = 1; i <= 16; i++) env[`AO_INSTANCE_${i}`] = i <= n ? `127.0.0.1:${2000 + i}` : '';
  return outcome('/usr/sbin/haproxy', ['-c', '-f', join(ROOT, 'deploy/haproxy.cfg')], env);
}

describe('deploy/haproxy.cfg', () => {
  it('is valid for 1, 2 and 16 instances and refuses none', async () => {
    need('/usr/sbin/haproxy', 'haproxy');
    for (const n of [1, 2, 16]) expect(await haproxyCheck(n), `${n} instances`).toMatchObject({ code: 0 });
    const none = await haproxyCheck(0);
    expect(none.code).not.toBe(0);
    expect(none.out).toContain('AO_INSTANCE_1 is not set');
  });

  it('gives each named instance a server and no other', async () => {
    const cfg = await readFile(join(ROOT, 'deploy/haproxy.cfg'), 'utf8');
    for (let i = 1; i <= 16; i++) {
      // each server line sits inside the test of its own variable
      expect(cfg).toContain(
        `.if strneq("\${AO_INSTANCE_${i}}","")\n    server i${i} "\${AO_INSTANCE_${i}}" check\n.endif`,
      );
    }
    expect(cfg.match(/^\s*server /gm)).toHaveLength(16);
  });
});

describe('deploy/systemd', () => {
  it("the instance unit passes systemd's verifier and starts through the wrapper that checks Node", async () => {
    need('/usr/bin/systemd-analyze', 'systemd');
    const unit = await readFile(join(ROOT, 'deploy/systemd/agency-overlay-sync@.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/opt\/agency-overlay\/deploy\/run-sync-server\.sh --port %i /m);
    expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
    expect(unit).not.toMatch(/^Exec.*\bnode\b/m); // never a Node from PATH or /usr/bin
    const dir = await mkdtemp(join(tmpdir(), 'agency-unit-'));
    try {
      // the checkout at ROOT instead of /opt/agency-overlay, so the verifier finds the ExecStart file
      await writeFile(
        join(dir, 'agency-overlay-sync@.service'),
        unit.replaceAll('/opt/agency-overlay', ROOT),
      );
      const r = await outcome(
        '/usr/bin/systemd-analyze',
        ['verify', './agency-overlay-sync@1234.service'],
        process.env,
        dir,
      );
      expect(r).toEqual({ code: 0, out: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the wrapper refuses a Node older than 22.18 with status 78 and says which Node to install', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agency-old-node-'));
    try {
      // a Node that reports 20.20.2, as Debian machines with NodeSource's Node 20 do
      await writeFile(
        join(dir, 'old.cjs'),
        "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });\n",
      );
      const fake = join(dir, 'node');
      await writeFile(
        fake,
        `#!/bin/sh\nexec "${process.execPath}" --require "${join(dir, 'old.cjs')}" "$@"\n`,
        {
          mode: 0o755,
        },
      );
      const env = { PATH: '/usr/bin:/bin', AO_NODE: fake };
      const old = await outcome(join(ROOT, 'deploy/run-sync-server.sh'), ['--port', '0'], env);
      expect(old.code).toBe(78);
      expect(old.out).toContain('needs Node 22.18 or newer');
      expect(old.out).toContain('this is Node 20.20.2');
      expect(old.out).toContain(`${fake} is too old`);
      const missing = await outcome(join(ROOT, 'deploy/run-sync-server.sh'), [], {
        ...env,
        AO_NODE: join(dir, 'nothing'),
      });
      expect(missing.code).toBe(78);
      expect(missing.out).toContain('is not an executable file');
      // this Node (24) passes the check and reaches the server's own options
      const ok = await outcome(join(ROOT, 'deploy/run-sync-server.sh'), ['--help'], {
        ...env,
        AO_NODE: process.execPath,
      });
      expect(ok.code).toBe(0);
      expect(ok.out).toContain('Agency Overlay sync server');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}

describe('deploy/compose.yaml', () => {
  it('parses, and names Postgres, Redis, HAProxy and the instances consistently', async () => {
    const compose = yaml.load(await readFile(join(ROOT, 'deploy/compose.yaml'), 'utf8')) as {
      services: Record<string, Service>;
      volumes?: Record<string, unknown>;
    };
    const services = compose.services;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'haproxy']));
    expect(services.postgres!.image).toMatch(/^postgres:1[5-9]/);
    expect(services.redis!.image).toMatch(/^redis:7/);
    expect(services.haproxy!.image).toMatch(/^haproxy:(2\.[4-9]|3)/); // `.if` needs 2.4
    const instances = Object.keys(services).filter((s) => s.startsWith('sync-'));
    expect(instances.length).toBeGreaterThanOrEqual(1);
    // HAProxy names exactly the instances, each at its own address, from AO_INSTANCE_1 without gaps
    const named = Object.entries(services.haproxy!.environment ?? {})
      .filter(([k]) => k.startsWith('AO_INSTANCE_'))
      .sort(([a], [b]) => Number(a.slice(12)) - Number(b.slice(12)));
    expect(named.map(([k]) => k)).toEqual(instances.map((_, i) => `AO_INSTANCE_${i + 1}`));
    expect(named.map(([, v]) => v.split(':')[0]).sort()).toEqual([...instances].sort());
    for (const name of instances) {
      const s = services[name]!;
      expect(Number(/^node:(\d+)/.exec(s.image ?? '')?.[1]), `${name}'s Node`).toBeGreaterThanOrEqual(23);
      expect(s.command?.slice(0, 2)).toEqual(['node', 'sync-server/main.ts']);
      expect(s.command).toContain('--trust-proxy');
      const port = s.command![s.command!.indexOf('--port') + 1];
      expect(s.environment?.ADVERTISE).toBe(`${name}:${port}`);
      expect(
        named.find(([, v]) => v === `${name}:${port}`),
        `${name} behind HAProxy`,
      ).toBeTruthy();
      expect(s.environment?.STORE_URL).toMatch(/^postgres:\/\/[^@]+@postgres\/\w+$/);
      expect(s.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(s.environment?.CREATE_TOKEN).toMatch(/^\$\{CREATE_TOKEN:\?/);
      // the checkout is mounted at /app, where the command's path is
      expect(s.volumes).toContain('..:/app:ro');
      expect(existsSync(join(ROOT, 'sync-server/main.ts'))).toBe(true);
    }
    // every depends_on names a service of the file
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const d of deps) expect(Object.keys(services), `${name} depends on ${d}`).toContain(d);
    }
    // the HAProxy configuration mounted is this repository's
    const mounted = services.haproxy!.volumes?.[0]?.split(':')[0];
    expect(mounted).toBe('./haproxy.cfg');
    expect(existsSync(join(ROOT, 'deploy', mounted!))).toBe(true);
    expect(services.postgres!.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    for (const v of services.postgres!.volumes ?? [])
      expect(Object.keys(compose.volumes ?? {})).toContain(v.split(':')[0]);
  });

  it('a copy of the systemd environment example is what deploy/haproxy.cfg reads', async () => {
    const example = await readFile(join(ROOT, 'deploy/systemd/haproxy.env'), 'utf8');
    const dir = await mkdtemp(join(tmpdir(), 'agency-haproxy-env-'));
    try {
      await copyFile(join(ROOT, 'deploy/haproxy.cfg'), join(dir, 'haproxy.cfg'));
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      for (const line of example.split('\n')) {
        const m = /^(AO_\w+)=(.*)$/.exec(line);
        if (m) env[m[1]!] = m[2]!.replace(/^:/, '127.0.0.1:');
      }
      expect(env.AO_INSTANCE_1).toBeTruthy();
      const r = await outcome('/usr/sbin/haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], env);
      expect(r.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
