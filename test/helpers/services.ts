import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import Redis from 'ioredis';

import { ROOT } from './env';

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30000,
  everyMs = 200,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A throw-away redis-server of the test's own, so it can be killed without harming other tests. */
export class OwnRedis {
  private proc?: ChildProcess;
  constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const r = new OwnRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('redis', async () => {
      const c = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } finally {
        c.disconnect();
      }
    });
  }

  /** SIGKILL: a crash, not a polite shutdown. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }
}

export function pgBin(): string {
  for (const v of ['17', '16', '15', '14', '13']) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return '';
}

/** A PostgreSQL cluster of the test's own (initdb in .data/), run as a non-root user when we are root. */
export class OwnPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly osUser: string | null,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const isRoot = process.getuid?.() === 0;
    const osUser = isRoot ? (hasUser('postgres') ? 'postgres' : 'duban-pg') : null;
    const dir = mkdtempSync(join(ROOT, '.data', 'test-pg-'));
    if (osUser) execFileSync('chown', ['-R', osUser, dir]);
    const pg = new OwnPostgres(await freePort(), dir, osUser);
    pg.run('initdb', [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    await pg.start();
    return pg;
  }

  /** The server's log (pg_ctl -l), for a failure's dump. */
  get logFile(): string {
    return join(this.dir, 'log');
  }

  url(db = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }

  private run(cmd: string, args: string[]): void {
    const bin = join(pgBin(), cmd);
    if (this.osUser) execFileSync('runuser', ['-u', this.osUser, '--', bin, ...args], { stdio: 'ignore' });
    else execFileSync(bin, args, { stdio: 'ignore' });
  }

  async start(): Promise<void> {
    this.run('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-w',
      '-l',
      join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
  }

  /**
   * A streaming replica of this cluster (pg_basebackup -R: hot standby, replaying the primary's WAL
   * as it arrives), in its own directory and port. initdb's trust rules already admit replication
   * connections from 127.0.0.1.
   */
  async startReplica(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(ROOT, '.data', 'test-pg-replica-'));
    if (this.osUser) execFileSync('chown', ['-R', this.osUser, dir]);
    const replica = new OwnPostgres(await freePort(), dir, this.osUser);
    replica.run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-U',
      'postgres',
      '-D',
      join(dir, 'data'),
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    await replica.start();
    return replica;
  }

  /** Runs one SQL statement through psql as the superuser (e.g. pg_wal_replay_pause() on a replica). */
  sql(statement: string, db = 'postgres'): string {
    const bin = join(pgBin(), 'psql');
    const args = ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', db, '-Atc', statement];
    return execFileSync(bin, args, { encoding: 'utf8' }).trim();
  }

  /** Immediate mode: the server dies without a checkpoint, like a crash. */
  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function hasUser(name: string): boolean {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
