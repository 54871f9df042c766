import { DataSource } from 'typeorm';

export type CheckResult = 'up' | 'down';
const NAMES: Record<string, string> = { database: 'PostgreSQL', redis: 'Redis' };

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`超时 ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkDatabase(dataSource: DataSource, timeoutMs = 2000): Promise<CheckResult> {
  try {
    await withTimeout(dataSource.query('SELECT 1'), timeoutMs);
    return 'up';
  } catch {
    return 'down';
  }
}

export async function checkRedis(ping: () => Promise<string>, timeoutMs = 1000): Promise<CheckResult> {
  try {
    return (await withTimeout(ping(), timeoutMs)) === 'PONG' ? 'up' : 'down';
  } catch {
    return 'down';
  }
}

export function describeDown(checks: Record<string, CheckResult>): string {
  const down = Object.entries(checks)
    .filter(([, v]) => v === 'down')
    .map(([k]) => NAMES[k] ?? k);
  return down.length ? `服务未就绪：${down.join('、')} 不可用` : '服务就绪';
}
