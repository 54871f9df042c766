import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { load } from 'js-yaml';

import { ROOT } from '../helpers/env';

const DIR = join(ROOT, 'deploy', 'prometheus');

/** promtool from Debian's prometheus package (scripts/test.sh installs it): never skipped. */
function promtool(args: string[], cwd: string): string {
  try {
    return execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT')
      throw new Error('promtool is missing: apt-get install prometheus (scripts/test.sh does)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

/** deploy/prometheus: the scrape config, the alert rules and the rules' own unit tests, as Prometheus reads them. */
describe('deploy/prometheus (promtool)', () => {
  let work: string;
  beforeAll(() => {
    // The scrape config names its token file beside it; an operator writes it, the repository never holds one.
    work = mkdtempSync(join(tmpdir(), 'duban-prom-'));
    for (const f of ['prometheus.yml', 'alerts.yml', 'alerts.test.yml'])
      copyFileSync(join(DIR, f), join(work, f));
    writeFileSync(join(work, 'duban-metrics-token'), 'not-a-real-token-0123456789\n', { mode: 0o600 });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prometheus.yml is valid, scrapes two APIs and two workers, and loads the alert rules', () => {
    const out = promtool(['check', 'config', 'prometheus.yml'], work);
    expect(out).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
    const config = load(readFileSync(join(DIR, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets).length]),
    );
    expect(targets).toEqual({ 'duban-api': 2, 'duban-worker': 2 });
  });

  it('alerts.yml passes the rule check and its unit tests (each alert fires when it should, not before)', () => {
    const rules = promtool(['check', 'rules', 'alerts.yml'], work);
    expect(rules).toContain('SUCCESS: 11 rules found');
    expect(promtool(['test', 'rules', 'alerts.test.yml'], work)).toContain('SUCCESS');
  });
});
