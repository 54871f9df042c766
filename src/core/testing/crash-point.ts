/**
 * Deterministic crash injection for the tests of crash safety: a process started with
 * NODE_ENV=test and DUBAN_CRASH_AT=<name> dies at once (SIGKILL, as a power cut: no cleanup, open
 * transactions roll back) when it reaches the point of that name. Inert in every other setting.
 */
export function crashPoint(name: string): void {
  if (process.env.NODE_ENV === 'test' && process.env.DUBAN_CRASH_AT === name) {
    process.kill(process.pid, 'SIGKILL');
  }
}
