import { AppConfig } from './app-config';
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
    expect(() => validateEnv({ ...valid, NODE_ENV: 'production', DEMO_PASSWORD: 'duban-demo-2022' })).toThrow(
      'DEMO_PASSWORD',
    );
  });
});
