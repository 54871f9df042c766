/** Pure and import-free: the web app uses the same rule (web/src/lib/workflow.ts). */
const QUARTERS = ['一', '二', '三', '四'];

/** A reporting period key in Chinese: 2022-06 → 2022年6月, 2022-W24 → 2022年第24周, 2022-Q2 → 2022年第二季度, 2022 → 2022年度. */
export function periodName(key: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) return `${m[1]}年第${Number(m[2])}周`;
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return `${m[1]}年第${QUARTERS[Number(m[2]) - 1]}季度`;
  m = /^(\d{4})$/.exec(key);
  if (m) return `${m[1]}年度`;
  return key;
}
