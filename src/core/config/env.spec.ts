import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AppConfig, itemPageUrl } from './app-config';
import { ConfigError, validateEnv } from './env';

const valid = {
  DATABASE_URL: 'postgres://u:topsecretpw@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379/0',
  JWT_SECRET: 'x'.repeat(32),
};

describe('validateEnv', () => {
  it('accepts the minimum and fills typed defaults', () => {
    const c = new AppConfig(validateEnv(valid));
    expect(c.http).toEqual({ port: 3000, host: '127.0.0.1', trustProxy: false, swagger: true });
    expect(c.auth.loginMaxFailures).toBe(5);
    expect(c.db.migrationsRun).toBe(true);
  });

  it('TRUST_PROXY: true trusts the one proxy in front, not every hop a client may have written', () => {
    const trust = (TRUST_PROXY: string) =>
      new AppConfig(validateEnv({ ...valid, TRUST_PROXY })).http.trustProxy;
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('true')).toBe(1);
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('finds the web build under the repository root from its own location, whatever the working folder', () => {
    const root = join(__dirname, '..', '..', '..');
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      expect(new AppConfig(validateEnv(valid)).web.distDir).toBe(join(root, 'web', 'dist'));
      expect(new AppConfig(validateEnv({ ...valid, WEB_DIST_DIR: 'build/web' })).web.distDir).toBe(
        join(realpathSync(tmpdir()), 'build', 'web'),
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('coerces numbers and booleans from strings', () => {
    const c = new AppConfig(
      validateEnv({ ...valid, PORT: '8080', MIGRATIONS_RUN: 'false', LOGIN_MAX_FAILURES: '3' }),
    );
    expect(c.http.port).toBe(8080);
    expect(c.db.migrationsRun).toBe(false);
    expect(c.auth.loginMaxFailures).toBe(3);
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }],
    ['REDIS_URL', { REDIS_URL: 'http://localhost' }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['PORT', { PORT: '70000' }],
    ['DUBAN_NOW', { DUBAN_NOW: '15/06/2022' }],
    ['MIGRATIONS_RUN', { MIGRATIONS_RUN: 'maybe' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'yes' }],
    ['MIGRATION_DATABASE_URL', { MIGRATION_DATABASE_URL: 'mysql://owner:topsecretpw@localhost/db' }],
  ])('names %s when it is missing or malformed, without printing any value', (name, patch) => {
    let error: unknown;
    try {
      validateEnv({ ...valid, ...patch });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('topsecretpw');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('migrates as MIGRATION_DATABASE_URL; unset or empty means the one DATABASE_URL', () => {
    const owner = 'postgres://owner:pw@localhost:5432/db';
    expect(new AppConfig(validateEnv({ ...valid, MIGRATION_DATABASE_URL: owner })).db.migrationUrl).toBe(
      owner,
    );
    expect(new AppConfig(validateEnv(valid)).db.migrationUrl).toBeUndefined();
    expect(
      new AppConfig(validateEnv({ ...valid, MIGRATION_DATABASE_URL: '' })).db.migrationUrl,
    ).toBeUndefined();
  });

  it('refuses a demo password in production', () => {
    expect(() => validateEnv({ ...prod, DEMO_PASSWORD: 'duban-demo-2022' })).toThrow('DEMO_PASSWORD');
  });
});

const prod = {
  ...valid,
  NODE_ENV: 'production',
  JWT_SECRET: 'a-real-random-token-secret-5f1c9a7e3b2d4c6e8f0a',
  NOTIFY_SECRET_KEY: 'a-separate-key-for-channel-secrets-0a9b8c7d6e',
  APP_URL: 'https://duban.example.gov.cn',
};

describe('production refuses unsafe settings', () => {
  const problem = (patch: Record<string, string | undefined>) => {
    try {
      validateEnv({ ...prod, ...patch });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message.split('\n')).toHaveLength(1);
      return (e as Error).message;
    }
    return null;
  };

  it('starts with its own secrets and nothing test-only; Swagger is off unless asked for', () => {
    expect(problem({})).toBeNull();
    expect(new AppConfig(validateEnv(prod)).http.swagger).toBe(false);
  });

  it.each([
    ['JWT_SECRET', { JWT_SECRET: 'dev-only-secret-change-me-0123456789abcdef' }],
    ['JWT_SECRET', { JWT_SECRET: 'compose-dev-secret-change-me-0123456789' }],
    ['JWT_SECRET', { JWT_SECRET: 'please-CHANGE-ME-before-going-live-123456' }],
    ['DUBAN_NOW', { DUBAN_NOW: '2022-06-15T10:00:00+08:00' }],
    ['WEBHOOK_ALLOW_PRIVATE_NETWORKS', { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }],
    ['SWAGGER_ENABLED', { SWAGGER_ENABLED: 'true' }],
    ['NOTIFY_SECRET_KEY', { NOTIFY_SECRET_KEY: undefined }],
    ['NOTIFY_SECRET_KEY', { NOTIFY_SECRET_KEY: prod.JWT_SECRET }],
    ['APP_URL', { APP_URL: undefined }],
  ])('names %s, without printing its value', (name, patch) => {
    const message = problem(patch)!;
    expect(message).toContain('NODE_ENV=production');
    expect(message).toContain(name);
    expect(message).not.toContain(prod.JWT_SECRET);
    expect(message).not.toContain(prod.NOTIFY_SECRET_KEY);
  });

  it('names every problem in the one line', () => {
    const message = problem({
      JWT_SECRET: 'dev-only-secret-change-me-0123456789abcdef',
      DUBAN_NOW: '2022-06-15T10:00:00+08:00',
      SWAGGER_ENABLED: 'true',
      NOTIFY_SECRET_KEY: undefined,
    })!;
    for (const name of ['JWT_SECRET', 'DUBAN_NOW', 'SWAGGER_ENABLED', 'NOTIFY_SECRET_KEY'])
      expect(message).toContain(name);
  });

  it('serves Swagger in production only with the explicit second switch', () => {
    const c = new AppConfig(validateEnv({ ...prod, SWAGGER_ENABLED: 'true', SWAGGER_IN_PRODUCTION: 'true' }));
    expect(c.http.swagger).toBe(true);
  });

  it('outside production the example settings still start (development, tests, the demo)', () => {
    const dev = {
      ...valid,
      JWT_SECRET: 'dev-only-secret-change-me-0123456789abcdef',
      DUBAN_NOW: '2022-06-15T10:00:00+08:00',
    };
    const c = new AppConfig(validateEnv({ ...dev, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }));
    expect(c.http.swagger).toBe(true);
    expect(c.notify.secretKeys.current.id).toBe('k1');
  });
});

describe('APP_URL: the web address every link points to', () => {
  it('links items to the web page under APP_URL, without a doubled slash', () => {
    const c = new AppConfig(validateEnv({ ...valid, APP_URL: 'https://duban.example.gov.cn/' }));
    expect(c.appUrl).toBe('https://duban.example.gov.cn');
    expect(itemPageUrl(c.appUrl, '42')).toBe('https://duban.example.gov.cn/items/42');
  });

  it('still reads the deprecated PUBLIC_URL, and APP_URL wins over it', () => {
    expect(new AppConfig(validateEnv({ ...valid, PUBLIC_URL: 'https://old.example.cn' })).appUrl).toBe(
      'https://old.example.cn',
    );
    expect(
      new AppConfig(
        validateEnv({ ...valid, PUBLIC_URL: 'https://old.example.cn', APP_URL: 'https://new.example.cn' }),
      ).appUrl,
    ).toBe('https://new.example.cn');
  });

  it('defaults to this machine on the API port outside production', () => {
    expect(new AppConfig(validateEnv({ ...valid, PORT: '3010' })).appUrl).toBe('http://127.0.0.1:3010');
  });

  it('production accepts the deprecated PUBLIC_URL in its place', () => {
    expect(() =>
      validateEnv({ ...prod, APP_URL: undefined, PUBLIC_URL: 'https://duban.example.gov.cn' }),
    ).not.toThrow();
  });

  it('refuses an address that is not http(s)', () => {
    expect(() => validateEnv({ ...valid, APP_URL: 'duban.example.gov.cn' })).toThrow('APP_URL');
  });
});

describe('notification keys', () => {
  const keys = (patch: Record<string, string>) =>
    new AppConfig(validateEnv({ ...prod, ...patch })).notify.secretKeys;

  it('the current key carries its id (k1 unless set); older keys are id:material pairs', () => {
    expect(keys({}).current).toEqual({ id: 'k1', material: prod.NOTIFY_SECRET_KEY });
    const rotated = keys({
      NOTIFY_SECRET_KEY_ID: '2024a',
      NOTIFY_SECRET_KEYS_OLD: `k1:${'o'.repeat(32)},k0:notify:${'x'.repeat(32)}`,
    });
    expect(rotated.current.id).toBe('2024a');
    expect(rotated.older).toEqual([
      { id: 'k1', material: 'o'.repeat(32) },
      { id: 'k0', material: `notify:${'x'.repeat(32)}` },
    ]);
  });

  it.each([
    ['NOTIFY_SECRET_KEY_ID', { NOTIFY_SECRET_KEY_ID: 'has:colon' }],
    ['NOTIFY_SECRET_KEYS_OLD', { NOTIFY_SECRET_KEYS_OLD: 'k0:short' }],
    ['NOTIFY_SECRET_KEYS_OLD', { NOTIFY_SECRET_KEYS_OLD: `no-id-${'x'.repeat(32)}` }],
    ['NOTIFY_SECRET_KEYS_OLD', { NOTIFY_SECRET_KEYS_OLD: `k1:${'x'.repeat(32)}` }],
    ['NOTIFY_SECRET_KEYS_OLD', { NOTIFY_SECRET_KEYS_OLD: `k0:${'x'.repeat(32)},k0:${'y'.repeat(32)}` }],
  ])('names %s when malformed or an id repeats, without its value', (name, patch) => {
    let message = '';
    try {
      validateEnv({ ...prod, ...patch });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain('x'.repeat(32));
  });
});
