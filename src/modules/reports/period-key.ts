import type { Cadence } from '../plans/domain/types';

const FORMATS: Record<Cadence, RegExp> = {
  weekly: /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/,
  monthly: /^(\d{4})-(0[1-9]|1[0-2])$/,
  once: /^(\d{4})-(0[1-9]|1[0-2])$/,
  ongoing: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  annual: /^(\d{4})$/,
};

const EXAMPLE: Record<Cadence, string> = {
  weekly: '2022-W23',
  monthly: '2022-06',
  once: '2022-06',
  ongoing: '2022-06',
  quarterly: '2022-Q2',
  annual: '2022',
};

/** First and last calendar day a period key covers ('YYYY-MM-DD'). ISO weeks start on Monday. */
export function periodRange(key: string): { start: string; end: string } | null {
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return { start: `${m[1]}-${m[2]}-01`, end: iso(new Date(Date.UTC(+m[1], +m[2], 0))) };
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) {
    const q = +m[2];
    return {
      start: iso(new Date(Date.UTC(+m[1], (q - 1) * 3, 1))),
      end: iso(new Date(Date.UTC(+m[1], q * 3, 0))),
    };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    const jan4 = new Date(Date.UTC(+m[1], 0, 4));
    const monday = new Date(
      jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000 + (+m[2] - 1) * 7 * 86400000,
    );
    return { start: iso(monday), end: iso(new Date(monday.getTime() + 6 * 86400000)) };
  }
  m = /^(\d{4})$/.exec(key);
  if (m) return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  return null;
}

/**
 * Checks that a report's period fits the item's cadence and overlaps the item's span.
 * Returns a Chinese message when it does not.
 */
export function checkPeriodKey(
  key: string,
  cadence: Cadence,
  span: { start: string; end: string },
): string | null {
  if (!FORMATS[cadence].test(key)) return `填报周期“${key}”与工作频次不符，应形如 ${EXAMPLE[cadence]}`;
  const range = periodRange(key)!;
  if (range.end < span.start || range.start > span.end) return `填报周期“${key}”不在事项的起止时间内`;
  return null;
}
