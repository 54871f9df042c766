import { dataSourceOptions, migrationDataSourceOptions } from './data-source';

const db = (url: string, migrationUrl?: string) => ({
  db: { url, migrationUrl, poolSize: 10, migrationsRun: true },
});
const sessionOptions = (o: { extra?: unknown }) => (o.extra as { options: string }).options;

describe('migrationDataSourceOptions', () => {
  it('connects as the owner and names the runtime role for the grants migration', () => {
    const o = migrationDataSourceOptions(
      db('postgres://duban_app:a@h:5432/duban', 'postgres://duban:o@h:5432/duban'),
    ) as { url: string; poolSize: number; extra?: unknown };
    expect(o.url).toBe('postgres://duban:o@h:5432/duban');
    expect(o.poolSize).toBe(1);
    expect(sessionOptions(o)).toMatch(/ -c duban\.runtime_role=duban_app$/);
    expect(sessionOptions(o)).toContain('-c statement_timeout=30000');
  });

  it('names no runtime role when there is one role (no owner URL, or the same user)', () => {
    for (const cfg of [
      db('postgres://duban:p@h/duban'),
      db('postgres://duban:p@h/duban', 'postgres://duban:p@other/duban'),
    ]) {
      const o = migrationDataSourceOptions(cfg);
      expect(sessionOptions(o)).not.toContain('runtime_role');
      expect(sessionOptions(o)).toBe(sessionOptions(dataSourceOptions(cfg)));
    }
  });

  it('escapes a role name that libpq would otherwise split', () => {
    const o = migrationDataSourceOptions(db('postgres://app%20role:a@h/d', 'postgres://owner:o@h/d'));
    expect(sessionOptions(o)).toMatch(/ -c duban\.runtime_role=app\\ role$/);
  });
});
