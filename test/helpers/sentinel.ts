import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';

import { freePort, waitFor } from './services';

export const MASTER_NAME = 'duban';

/**
 * A Redis master, one replica and three Sentinels of the test's own (Debian's redis-server and
 * redis-sentinel, scripts/lib.sh ensure_redis_sentinel): quorum 2, a master down after 1 s, a short
 * failover timeout, so a SIGKILLed master is replaced within a few seconds.
 */
export class SentinelSet {
  private readonly procs = new Map<number, ChildProcess>();
  private constructor(
    private readonly dir: string,
    readonly master: number,
    readonly replica: number,
    readonly sentinels: number[],
  ) {}

  static async start(): Promise<SentinelSet> {
    try {
      execFileSync('redis-sentinel', ['--version'], { stdio: 'ignore' });
    } catch {
      // Never a skip: the test command installs it (scripts/lib.sh ensure_redis_sentinel).
      throw new Error('redis-sentinel is missing: apt-get install redis-sentinel (npm test installs it)');
    }
    const dir = mkdtempSync(join(tmpdir(), 'duban-sentinel-'));
    const ports: number[] = [];
    while (ports.length < 5) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    const [master, replica, ...sentinels] = ports;
    const set = new SentinelSet(dir, master, replica, sentinels);
    set.redis(master, []);
    set.redis(replica, ['--replicaof', '127.0.0.1', String(master)]);
    await set.waitPing(master);
    await set.waitPing(replica);
    for (const port of sentinels) {
      // Sentinel rewrites its configuration file: one writable file each.
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 3000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      set.procs.set(port, spawn('redis-sentinel', [conf], { stdio: 'ignore' }));
    }
    // A failover needs the Sentinels to know the replica and each other (hello messages, every 2 s).
    await waitFor(
      'sentinels to see the replica and each other',
      async () => {
        for (const port of sentinels) {
          const c = set.client(port);
          try {
            const replicas = (await c.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
            const peers = (await c.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[];
            if (replicas.length < 1 || peers.length < sentinels.length - 1) return false;
          } finally {
            c.disconnect();
          }
        }
        return true;
      },
      30000,
      250,
    );
    return set;
  }

  /** REDIS_SENTINELS for this set. */
  get addresses(): string {
    return this.sentinels.map((p) => `127.0.0.1:${p}`).join(',');
  }

  /** The master's port as the first Sentinel reports it now. */
  async masterPort(): Promise<number> {
    const c = this.client(this.sentinels[0]);
    try {
      const [, port] = (await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[];
      return Number(port);
    } finally {
      c.disconnect();
    }
  }

  /** SIGKILL: a crash, not a polite shutdown. */
  async kill(port: number): Promise<void> {
    const p = this.procs.get(port);
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  /** Synchronous SIGKILL of every process, for a process `exit` hook (no waiting possible there). */
  killNow(): void {
    for (const p of this.procs.values()) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private redis(port: number, extra: string[]): void {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--maxmemory-policy', 'noeviction', '--dir', this.dir, ...extra);
    this.procs.set(port, spawn('redis-server', args, { stdio: 'ignore' }));
  }

  private client(port: number): Redis {
    const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    return c;
  }

  private async waitPing(port: number): Promise<void> {
    await waitFor(`redis on ${port}`, async () => {
      const c = this.client(port);
      try {
        return (await c.ping()) === 'PONG';
      } finally {
        c.disconnect();
      }
    });
  }
}
