import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT } from '../helpers/env';

/** The shell scripts behind `npm run demo`: what a person sets in the environment is what runs. */
describe('scripts/lib.sh load_env', () => {
  const loaded = (env: Record<string, string>) =>
    execFileSync('bash', ['-c', '. scripts/lib.sh; load_env; printf "%s|%s" "$PORT" "$DUBAN_PG_PORT_SEEN"'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      encoding: 'utf8',
    });

  it('the defaults come from .env.example', () => {
    expect(loaded({}).split('|')[0]).toBe('3000');
  });

  it('a variable set by the caller wins over the files (PORT=3001 npm run demo, as the README says)', () => {
    expect(loaded({ PORT: '3001', DUBAN_PG_PORT_SEEN: 'kept' })).toBe('3001|kept');
  });
});

/** `npm test` makes sure the browser tests can run: Debian's chromium and CJK fonts, from apt-get. */
describe('scripts/lib.sh ensure_chromium', () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'duban-stub-'));
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  /** Stub commands first in PATH: `id` says root, fc-list knows no Chinese font, apt-get records its calls. */
  const run = (aptExit: number) => {
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub('id', 'echo 0');
    stub('fc-list', 'exit 0');
    stub('apt-get', `echo "$DEBIAN_FRONTEND $*" >> "${bin}/apt.log"; exit ${aptExit}`);
    return spawnSync('bash', ['-c', '. scripts/lib.sh; ensure_chromium'], {
      cwd: ROOT,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp' },
      encoding: 'utf8',
    });
  };

  it('installs what is missing with apt-get, non-interactively', () => {
    const res = run(0);
    expect(res.status).toBe(0);
    const calls = readFileSync(join(bin, 'apt.log'), 'utf8').trim().split('\n');
    expect(calls[0]).toMatch(/^noninteractive update/);
    expect(calls[1]).toMatch(/^noninteractive install -y .*fonts-noto-cjk$/);
    // The browser is there (/usr/bin/chromium): only the fonts are asked for.
    expect(calls[1]).not.toMatch(/ chromium/);
  });

  it('stops with a Chinese message when apt-get cannot install', () => {
    const res = run(100);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('无法安装 fonts-noto-cjk');
  });

  it('names a CHROMIUM_PATH that does not exist instead of installing anything', () => {
    const res = spawnSync('bash', ['-c', '. scripts/lib.sh; ensure_chromium'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', CHROMIUM_PATH: join(bin, 'no-browser') },
      encoding: 'utf8',
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('CHROMIUM_PATH 指向的浏览器不存在');
  });
});

/** `npm test` makes sure deploy/prometheus can be checked: promtool from Debian's prometheus package. */
describe('scripts/lib.sh ensure_promtool', () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'duban-stub-'));
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  /** Only stubs on PATH (the real promtool stays out of sight): apt-get records its calls, and installs promtool. */
  const run = (aptExit: number, present = false) => {
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    for (const tool of ['dirname', 'chmod', 'env']) {
      symlinkSync(existsSync(`/usr/bin/${tool}`) ? `/usr/bin/${tool}` : `/bin/${tool}`, join(bin, tool));
    }
    stub('id', 'echo 0');
    const install = `printf '#!/bin/bash\\necho promtool\\n' > "${bin}/promtool"; chmod +x "${bin}/promtool"`;
    stub(
      'apt-get',
      `echo "$DEBIAN_FRONTEND $*" >> "${bin}/apt.log"; [ "$1" = install ] && [ ${aptExit} = 0 ] && { ${install}; }; exit ${aptExit}`,
    );
    if (present) stub('promtool', 'echo promtool');
    return spawnSync('/bin/bash', ['-c', '. scripts/lib.sh; ensure_promtool'], {
      cwd: ROOT,
      env: { PATH: bin, HOME: process.env.HOME ?? '/tmp' },
      encoding: 'utf8',
    });
  };
  const calls = () =>
    existsSync(join(bin, 'apt.log')) ? readFileSync(join(bin, 'apt.log'), 'utf8').trim().split('\n') : [];

  it("installs Debian's prometheus package with apt-get when promtool is missing, non-interactively", () => {
    const res = run(0);
    expect(res.status).toBe(0);
    expect(calls()[0]).toMatch(/^noninteractive update/);
    expect(calls()[1]).toMatch(/^noninteractive install -y .*prometheus$/);
  });

  it('does nothing when promtool is there', () => {
    expect(run(0, true).status).toBe(0);
    expect(calls()).toEqual([]);
  });

  it('stops with a Chinese message when apt-get cannot install', () => {
    const res = run(100);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('无法安装 prometheus');
  });
});
