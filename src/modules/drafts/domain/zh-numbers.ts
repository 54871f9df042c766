/**
 * Chinese numerals as written in work reports ("两个", "二十", "一百二十", "三千五百", "1.5万") → numbers.
 * Only the everyday positional forms: reports never use financial numerals (壹贰叁) for targets.
 */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/** The characters a Chinese numeral is made of (for building patterns). */
export const ZH_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿';

/**
 * "两" → 2, "十二" → 12, "二十" → 20, "一百二十" → 120, "一百零五" → 105, "三千五百" → 3500, "一万二千" → 12000.
 * Null when the text is not a well-formed numeral ("十十", "", "三四" — two digits in a row is an
 * approximation such as 三四个, not a number).
 */
export function zhToNumber(text: string): number | null {
  if (text === '') return null;
  let total = 0; // completed 万/亿 groups
  let section = 0; // the current group below 万
  let digit: number | null = null; // a digit waiting for its unit
  let lastSmall = Infinity; // units inside a group must decrease (千 > 百 > 十)
  let lastBig = Infinity;
  for (const ch of text) {
    if (ch in DIGITS) {
      if (digit !== null && digit !== 0) return null; // "三四": an approximation, not a number
      digit = DIGITS[ch];
    } else if (ch in SMALL_UNITS) {
      const unit = SMALL_UNITS[ch];
      if (unit >= lastSmall) return null;
      // A bare 十 at the start of a group means 一十 ("十二" = 12).
      section += (digit ?? (section === 0 ? 1 : NaN)) * unit;
      if (Number.isNaN(section)) return null;
      digit = null;
      lastSmall = unit;
    } else if (ch in BIG_UNITS) {
      const unit = BIG_UNITS[ch];
      if (unit >= lastBig) return null;
      const group = section + (digit ?? 0);
      if (group === 0 && total === 0) return null;
      total += group * unit;
      section = 0;
      digit = null;
      lastSmall = Infinity;
      lastBig = unit;
    } else {
      return null;
    }
  }
  return total + section + (digit ?? 0);
}
