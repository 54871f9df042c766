/** 完成时限 as written in plan sheets ("12月底前", "二季度", "年内") and Excel cells → 'YYYY-MM-DD'. */

const DAY_MS = 24 * 60 * 60 * 1000;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The ISO date, or null when the day does not exist (2022-02-30). */
function isoDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || y < 1000 || y > 9999) return null;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export function isValidIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isoDate(Number(m[1]), Number(m[2]), Number(m[3])) !== null;
}

const ZH_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "十二" → 12, "三十一" → 31, "六" → 6: enough for months and days. */
function zhNumber(s: string): string {
  const ten = s.indexOf('十');
  if (ten < 0) return String(ZH_DIGITS[s] ?? s);
  const tens = ten === 0 ? 1 : (ZH_DIGITS[s.slice(0, ten)] ?? 0);
  const ones = ZH_DIGITS[s.slice(ten + 1)] ?? 0;
  return String(tens * 10 + ones);
}

const QUARTER_END: Record<string, [number, number]> = {
  '1': [3, 31],
  '2': [6, 30],
  '3': [9, 30],
  '4': [12, 31],
  一: [3, 31],
  二: [6, 30],
  三: [9, 30],
  四: [12, 31],
};

/**
 * Reads a deadline, `year` being the plan's year for texts that do not name one. Month-only texts mean the
 * end of that month, since a deadline is the last day the work may be done. Null when unreadable or the date
 * does not exist. A bare Excel serial ("44926") is not read here: number cells go through fromExcelDate.
 */
export function parseDeadline(text: string, year: number): string | null {
  const s = text
    .normalize('NFKC') // full-width digits and punctuation, as typed in Chinese input methods
    .replace(/\s+/g, '')
    .replace(/[一二三四五六七八九十]+(?=月|日|号)/g, zhNumber)
    .replace(/^(?:截至|截止|于|在)/, '')
    .replace(/(?:之前|以前|前)?(?:完成)?$/, '');
  if (s === '') return null;
  const y = (captured: string | undefined): number => (captured === undefined ? year : Number(captured));
  let m: RegExpExecArray | null;

  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s))) return isoDate(+m[1], +m[2], +m[3]);
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) return isoDate(+m[1], +m[2], +m[3]);
  if ((m = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?$/.exec(s))) return isoDate(y(m[1]), +m[2], +m[3]);
  if ((m = /^(?:(\d{4})年)?(\d{1,2})月(?:份)?(底|末|上旬|中旬|下旬)?$/.exec(s))) {
    const yy = y(m[1]);
    const month = +m[2];
    if (month < 1 || month > 12) return null;
    const day = m[3] === '上旬' ? 10 : m[3] === '中旬' ? 20 : daysInMonth(yy, month);
    return isoDate(yy, month, day);
  }
  if ((m = /^(\d{4})年(?:底|末|内|度内|度)?$/.exec(s))) return isoDate(+m[1], 12, 31);
  if ((m = /^(?:(\d{4})年)?(?:本年度|今年)?(?:年内|年底|年末|全年|年度内|年度)$/.exec(s))) {
    return isoDate(y(m[1]), 12, 31);
  }
  if ((m = /^(?:(\d{4})年)?([上下])半年(?:末|底)?$/.exec(s))) {
    return m[2] === '上' ? isoDate(y(m[1]), 6, 30) : isoDate(y(m[1]), 12, 31);
  }
  if (
    (m =
      /^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?$/.exec(s) ?? /^(?:(\d{4})年)?Q([1-4])$/i.exec(s))
  ) {
    const [month, day] = QUARTER_END[m[2]];
    return isoDate(y(m[1]), month, day);
  }
  return null;
}

/**
 * An Excel date cell → 'YYYY-MM-DD'. A number is a serial in the 1900 date system, whose day 60 is the
 * non-existent 1900-02-29 (kept for Lotus compatibility): serials after it are one day ahead. A Date is how
 * exceljs hands a date cell over: UTC midnight of the day shown, so it is read in UTC, never local time.
 * Null for anything that is not a real day (NaN, 0, 60, beyond 9999-12-31, an invalid Date).
 */
export function fromExcelDate(v: number | Date): string | null {
  let ms: number;
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) return null;
    // exceljs computes the instant from a float serial; round off the sub-second error before taking the day.
    ms = Math.round(t / 1000) * 1000;
  } else {
    if (!Number.isFinite(v)) return null;
    const serial = Math.floor(v); // the fraction is the time of day
    if (serial < 1 || serial === 60) return null;
    ms = Date.UTC(1899, 11, serial < 60 ? 31 : 30) + serial * DAY_MS;
  }
  const d = new Date(ms);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
