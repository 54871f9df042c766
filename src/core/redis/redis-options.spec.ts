import { QueueKeys } from 'bullmq';

import { AppConfig } from '../config/app-config';
import { ConfigError, validateEnv } from '../config/env';
import { bullConnection } from '../queue/queue.module';
import { QueueName } from '../queue/queue-names';
import { parseSentinels, reconnectOnReadonly, redisOptions } from './redis-options';

const base = {
  DATABASE_URL: 'postgres://u:pw@localhost:5432/db',
  JWT_SECRET: 'x'.repeat(32),
};
const config = (env: Record<string, string>) => new AppConfig(validateEnv({ ...base, ...env }));
const configError = (env: Record<string, string>): string => {
  try {
    config(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

/** The part of a key Redis Cluster hashes: the first non-empty `{…}`, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('redisOptions: one set of ioredis options for every client', () => {
  it('REDIS_URL only: host, port, credentials, database and TLS from the URL, no Sentinel', () => {
    const o = redisOptions(config({ REDIS_URL: 'rediss://app:p%40ss@redis.example:6380/3' }).redis);
    expect(o).toMatchObject({
      host: 'redis.example',
      port: 6380,
      username: 'app',
      password: 'p@ss',
      db: 3,
      tls: {},
    });
    expect(o.sentinels).toBeUndefined();
    expect(o.name).toBeUndefined();
    expect(redisOptions(config({ REDIS_URL: 'redis://127.0.0.1' }).redis)).toMatchObject({
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      tls: undefined,
    });
  });

  it('Sentinels: the master comes from them; the URL gives password, database and TLS only', () => {
    const c = config({
      REDIS_URL: 'rediss://:secret@ignored-host:1/2',
      REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'duban-master',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
    });
    const o = redisOptions(c.redis, { enableOfflineQueue: false });
    expect(o.sentinels).toEqual([
      { host: '10.0.0.1', port: 26379 },
      { host: 'sentinel-b', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
    expect(o).toMatchObject({
      name: 'duban-master',
      sentinelPassword: 'sentinel-pw',
      password: 'secret',
      db: 2,
      tls: {},
      enableTLSForSentinelMode: true,
      enableOfflineQueue: false,
    });
    expect(o.host).toBeUndefined();
    expect(o.port).toBeUndefined();
  });

  it("BullMQ's connection carries the same Sentinel settings, a prefix of BullMQ's own and no keyPrefix", () => {
    const c = config({
      REDIS_URL: 'redis://:secret@localhost:6379/0',
      REDIS_PREFIX: '{duban}',
      REDIS_SENTINELS: 's1:26379,s2:26379,s3:26379',
      REDIS_SENTINEL_NAME: 'mymaster',
    });
    const bull = bullConnection(c.redis);
    const plain = redisOptions(c.redis);
    expect(bull.sentinels).toEqual(plain.sentinels);
    expect(bull.name).toBe('mymaster');
    expect(bull.password).toBe('secret');
    expect(bull.reconnectOnError).toBe(reconnectOnReadonly);
    // ioredis keyPrefix would be applied twice by BullMQ's scripts (BullMQ refuses it): `prefix` only.
    expect(bull.keyPrefix).toBeUndefined();
    expect(plain.keyPrefix).toBeUndefined();
    expect(c.redis.prefix).toBe('{duban}');
  });

  it('resends a command refused with READONLY (an old master turned replica) after reconnecting; other errors fail', () => {
    expect(reconnectOnReadonly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadonly(new Error('ERR wrong number of arguments'))).toBe(false);
    expect(redisOptions(config({ REDIS_URL: 'redis://h' }).redis).reconnectOnError).toBe(reconnectOnReadonly);
  });

  it.each([
    ['10.0.0.1', 'no port'],
    ['10.0.0.1:0', 'port 0'],
    ['10.0.0.1:70000', 'port out of range'],
    ['a:26379,,b:26379', 'an empty entry'],
    [':26379', 'no host'],
    ['host name:26379', 'a space in the host'],
  ])('refuses REDIS_SENTINELS=%s (%s), naming the variable in Chinese', (value) => {
    expect(parseSentinels(value)).toBeNull();
    const message = configError({
      REDIS_URL: 'redis://h',
      REDIS_SENTINELS: value,
      REDIS_SENTINEL_NAME: 'mymaster',
    });
    expect(message).toContain('REDIS_SENTINELS');
    expect(message).toContain('启动失败');
  });

  it('wants REDIS_SENTINELS and REDIS_SENTINEL_NAME together; never prints the Sentinel password', () => {
    expect(configError({ REDIS_URL: 'redis://h', REDIS_SENTINELS: 'a:26379' })).toContain(
      'REDIS_SENTINEL_NAME',
    );
    expect(configError({ REDIS_URL: 'redis://h', REDIS_SENTINEL_NAME: 'mymaster' })).toContain(
      'REDIS_SENTINELS',
    );
    const m = configError({
      REDIS_URL: 'redis://h',
      REDIS_SENTINELS: 'a:bad',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'topsecretpw',
    });
    expect(m).not.toContain('topsecretpw');
    // Empty values (an .env line left blank) mean "not set".
    expect(
      config({ REDIS_URL: 'redis://h', REDIS_SENTINELS: '', REDIS_SENTINEL_NAME: '' }).redis.sentinels,
    ).toBe(undefined);
  });
});

describe('Redis Cluster: a hash-tag prefix keeps every key of the app in one slot', () => {
  it('accepts REDIS_PREFIX={duban} and refuses braces that are not one whole tag', () => {
    expect(config({ REDIS_URL: 'redis://h', REDIS_PREFIX: '{duban}' }).redis.prefix).toBe('{duban}');
    for (const bad of ['{duban', 'du{ban}', '{}', '{a}{b}'])
      expect(configError({ REDIS_URL: 'redis://h', REDIS_PREFIX: bad })).toContain('REDIS_PREFIX');
  });

  it("every BullMQ key of every queue, and the app's own keys, hash on the tag", () => {
    const prefix = config({ REDIS_URL: 'redis://h', REDIS_PREFIX: '{duban}' }).redis.prefix;
    const keys = Object.values(QueueName).flatMap((name) =>
      Object.values(new QueueKeys(prefix).getKeys(name)).filter((k) => k !== ''),
    );
    // The app's own keys (login throttle, worker heartbeats) are built as `${prefix}:…` too.
    keys.push(`${prefix}:login:user:alice`, `${prefix}:login:ip:10.0.0.9`, `${prefix}:workers:host-1`);
    expect(keys.length).toBeGreaterThan(20);
    expect(new Set(keys.map(hashTag))).toEqual(new Set(['duban']));
    // Without the tag the queues scatter over slots (a multi-key script would fail with CROSSSLOT).
    const plain = Object.values(new QueueKeys('duban').getKeys(QueueName.Notify));
    expect(new Set(plain.filter((k) => k !== '').map(hashTag)).size).toBeGreaterThan(1);
  });
});
