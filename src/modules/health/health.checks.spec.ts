import { checkRedis, describeDown } from './health.checks';

describe('health checks', () => {
  it('names every part that is down in Chinese', () => {
    expect(describeDown({ database: 'up', redis: 'down' })).toBe('服务未就绪：Redis 不可用');
    expect(describeDown({ database: 'down', redis: 'down' })).toBe('服务未就绪：PostgreSQL、Redis 不可用');
    expect(describeDown({ database: 'up', redis: 'up' })).toBe('服务就绪');
  });

  it('a ping that hangs counts as down after the timeout', async () => {
    expect(await checkRedis(() => new Promise(() => undefined), 50)).toBe('down');
    expect(await checkRedis(async () => 'PONG', 50)).toBe('up');
  });
});
