import { execFileSync } from 'node:child_process';

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
