import { types } from 'pg';

let installed = false;

/**
 * node-postgres turns `date` into a JS Date at midnight of the server's zone, which shifts
 * deadlines by a day; keep dates as plain 'YYYY-MM-DD' strings. bigint counts become numbers.
 */
export function installPgTypeParsers(): void {
  if (installed) return;
  installed = true;
  types.setTypeParser(1082, (v: string) => v); // date
  types.setTypeParser(20, (v: string) => {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }); // int8
}
