/**
 * 量化指标 text ⇄ TargetSpec. formatTarget writes one canonical form ("拆除违法建设 ≥ 1.5 万平方米", a range
 * "新增实施垃圾分类街道 1～2 个") that parseTargets reads back unchanged; parseTargets also reads the phrasings found
 * in the bureaus' plan sheets ("拆除违法建设1.5万平方米以上", "积压案件控制在10件以内", "1-2个", "1至2个", full-width
 * digits, redacted "x.x" / "x-x").
 */
import { convert, dimensionOf, normalizeUnit } from './measure';
import type { Comparator, Direction, TargetSpec } from './types';

export type ParseTargetsResult = { targets: TargetSpec[] } | { error: string };

const SYMBOL: Record<Exclude<Comparator, 'range'>, string> = { '>=': '≥', '<=': '≤', '=': '=' };
/** The canonical range mark: full-width tilde, as in "1～2 个". */
const RANGE_MARK = '～';
const DECREASE_MARK = '（减少类）';
const INCREASE_MARK = '（增加类）';

/** A ≤ target is about keeping something down (积压、发案), so it reads as decrease unless marked otherwise. */
function defaultDirection(comparator: Comparator): Direction {
  return comparator === '<=' ? 'decrease' : 'increase';
}

/** "拆除违法建设 ≥ 1.5 万平方米（基数 0.8）（减少类）"; the marks appear only when they carry information. */
export function formatTarget(t: TargetSpec): string {
  const value = t.value === null ? t.valueText : String(t.value);
  // "%" sticks to its number the way people write it; other units are separated by a space.
  const unit = t.unit === '' ? '' : t.unit === '%' ? '%' : ` ${t.unit}`;
  let text: string;
  if (t.comparator === 'range') {
    const upper = t.upper === null || t.upper === undefined ? (t.upperText ?? 'x') : String(t.upper);
    text = `${t.metric} ${value}${RANGE_MARK}${upper}${unit}`;
  } else text = `${t.metric} ${SYMBOL[t.comparator]} ${value}${unit}`;
  if (t.baseline !== undefined && t.baseline !== null) text += `（基数 ${t.baseline}）`;
  if (t.direction === 'decrease') text += DECREASE_MARK;
  // An increase ≤ target must say so, or it would read back as decrease.
  else if (defaultDirection(t.comparator) === 'decrease') text += INCREASE_MARK;
  return text;
}

export function formatTargets(list: TargetSpec[]): string {
  return list.map(formatTarget).join('；');
}

/**
 * Full-width ASCII → half-width, one UTF-16 unit for one, so offsets in the folded text are offsets in the
 * original: the metric is cut from the original and keeps the author's own punctuation.
 */
function fold(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

const OPERATORS: Record<string, Comparator> = {
  '>=': '>=',
  '≥': '>=',
  '≧': '>=',
  '⩾': '>=',
  '<=': '<=',
  '≤': '<=',
  '≦': '<=',
  '⩽': '<=',
  '=': '=',
  不少于: '>=',
  不低于: '>=',
  不小于: '>=',
  至少: '>=',
  达到: '>=',
  不超过: '<=',
  不高于: '<=',
  不多于: '<=',
  不大于: '<=',
  最多: '<=',
  控制在: '<=',
};
const SUFFIXES: Record<string, Comparator> = { 以上: '>=', 以内: '<=', 以下: '<=' };
const DIRECTION_MARKS: Record<string, Direction> = {
  减少类: 'decrease',
  减少: 'decrease',
  下降: 'decrease',
  增加类: 'increase',
  增加: 'increase',
  增长: 'increase',
};

function alternation(words: string[]): string {
  // Longest first, so ">=" is not read as ">" followed by "=".
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const PLACEHOLDER = String.raw`[xX]+(?:\.[xX]+)?`;
// A unit has no digits, spaces, placeholders, operators or brackets; "m2"/"m3" may end it. Capping its length
// keeps a number inside the metric ("2022年…") from swallowing the rest of the text as a "unit".
const UNIT = String.raw`[^\dxX\s<>=≥≤≧≦⩾⩽()]{0,8}?(?:[mM][23])?`;

/** metric, optional operator, value, unit, optional 以上/以内; the lazy metric makes the value the last number. */
// "1-2", "1～2" (folded to "~"), "1至2", "1到2", "x-x"; the range is tried before a single value.
const RANGE_SEPARATOR = String.raw`[-~〜—–]|至|到`;
const VALUE = `${NUMBER}|${PLACEHOLDER}`;
const BODY = new RegExp(
  String.raw`^(?<metric>.*?)\s*(?<op>${alternation(Object.keys(OPERATORS))})?\s*` +
    String.raw`(?:(?<lower>${VALUE})\s*(?:${RANGE_SEPARATOR})\s*(?<upper>${VALUE})|(?<value>${VALUE}))` +
    String.raw`\s*(?<unit>${UNIT})\s*(?<suffix>${alternation(Object.keys(SUFFIXES))})?$`,
);
const DIRECTION_TAIL = new RegExp(String.raw`\(\s*(${alternation(Object.keys(DIRECTION_MARKS))})\s*\)\s*$`);
const BASELINE_TAIL = new RegExp(
  String.raw`\(\s*基数\s*[:：]?\s*(${NUMBER}|${PLACEHOLDER})\s*(${UNIT})\s*\)\s*$`,
);
const TRAILING_PUNCTUATION = /[\s。.,，、]+$/;
const METRIC_TRAILING_PUNCTUATION = /[\s:：,，、]+$/;

function toNumber(text: string): number | null {
  return /^[xX]/.test(text) ? null : Number(text.replace(/,/g, ''));
}

const EXAMPLE = '应写成“指标名称 ≥ 数值 单位”，例如“拆除违法建设 ≥ 1.5 万平方米”';

/** One fragment; `original` and `folded` have the same length. */
function parseOne(original: string, folded: string, label: string): TargetSpec | string {
  let rest = folded.replace(TRAILING_PUNCTUATION, '');
  let direction: Direction | undefined;
  let baselineText: string | undefined;
  let baselineUnit = '';

  for (;;) {
    const d = DIRECTION_TAIL.exec(rest);
    const b = d ? null : BASELINE_TAIL.exec(rest);
    if (d) {
      if (direction !== undefined) return `${label}重复标注了增减类型`;
      direction = DIRECTION_MARKS[d[1]];
      rest = rest.slice(0, d.index).trimEnd();
    } else if (b) {
      if (baselineText !== undefined) return `${label}重复填写了基数`;
      baselineText = b[1];
      baselineUnit = b[2];
      rest = rest.slice(0, b.index).trimEnd();
    } else break;
  }

  const m = BODY.exec(rest);
  if (!m?.groups) return `${label}无法识别，${EXAMPLE}`;
  const { metric: metricFolded, op, lower, upper: upperText, unit: rawUnit, suffix } = m.groups;
  const valueText = lower ?? m.groups.value;
  const isRange = lower !== undefined;

  const metric = original.slice(0, metricFolded.length).replace(METRIC_TRAILING_PUNCTUATION, '').trim();
  if (metric === '') return `${label}缺少指标名称，${EXAMPLE}`;

  const fromOp = op === undefined ? undefined : OPERATORS[op];
  const fromSuffix = suffix === undefined ? undefined : SUFFIXES[suffix];
  if (fromOp !== undefined && fromSuffix !== undefined && fromOp !== fromSuffix) {
    return `${label}的比较方式前后矛盾`;
  }
  if (isRange && (fromOp !== undefined || fromSuffix !== undefined)) {
    return `${label}是区间指标，不能再写“以上”“不超过”等比较方式`;
  }
  // A bare figure ("新开工项目2个") states the amount to deliver, which is what "=" records.
  const comparator: Comparator = isRange ? 'range' : (fromOp ?? fromSuffix ?? '=');

  const unit = normalizeUnit(rawUnit);
  // Without an operator nothing marks where the figure is; a long unknown "unit" means the number was part of
  // the wording ("完成2022年度拆违任务"), not a target.
  if (fromOp === undefined && fromSuffix === undefined && dimensionOf(unit) === null && unit.length > 4) {
    return `${label}无法识别，${EXAMPLE}`;
  }
  const value = toNumber(valueText);
  if (isRange && direction === 'decrease') return `${label}是区间指标，只能是增加类`;
  const target: TargetSpec = {
    metric,
    comparator,
    value,
    valueText: value === null ? valueText : String(value),
    unit,
    direction: direction ?? defaultDirection(comparator),
  };
  if (isRange) {
    const upper = toNumber(upperText);
    if (value !== null && upper !== null && value > upper) {
      return `${label}的下限 ${value} 大于上限 ${upper}，应写成“下限～上限”`;
    }
    target.upper = upper;
    target.upperText = upper === null ? upperText : String(upper);
  }

  if (baselineText !== undefined) {
    const raw = toNumber(baselineText);
    let baseline = raw;
    if (raw !== null && baselineUnit !== '' && normalizeUnit(baselineUnit) !== unit) {
      baseline = convert(raw, baselineUnit, unit);
      if (baseline === null) return `${label}的基数单位“${baselineUnit}”与指标单位“${unit}”不一致`;
    }
    // A redacted baseline ("基数 xx") is recorded as known-to-exist but unknown: null.
    target.baseline = baseline;
  }
  return target;
}

/**
 * Reads one or more 量化指标 separated by "；", ";" or line breaks. Blank text is no targets. The first
 * fragment that cannot be read makes the whole text an error, so nothing is half-imported.
 */
export function parseTargets(text: string): ParseTargetsResult {
  const folded = fold(text);
  const targets: TargetSpec[] = [];
  const separator = /[;\r\n]+/g;
  let start = 0;
  let index = 0;
  for (;;) {
    const sep = separator.exec(folded);
    const end = sep ? sep.index : folded.length;
    const original = text.slice(start, end);
    const lead = original.length - original.trimStart().length;
    const trimmedLength = original.trim().length;
    if (trimmedLength > 0) {
      index += 1;
      const shown = original.trim();
      const result = parseOne(
        original.slice(lead, lead + trimmedLength),
        folded.slice(start + lead, start + lead + trimmedLength),
        `第${index}条量化指标“${shown}”`,
      );
      if (typeof result === 'string') return { error: result };
      targets.push(result);
    }
    if (!sep) break;
    start = sep.index + sep[0].length;
  }
  return { targets };
}

const RANGE_VALUE = new RegExp(String.raw`^\s*(${VALUE})\s*(?:${RANGE_SEPARATOR})\s*(${VALUE})\s*$`);

/**
 * The bounds of a range written alone ("1-2", "1至2", "1～2", "x-x"), as a range TargetSpec stores them: for
 * callers holding a range as one string (a draft's target value). Null when the text is not a range or the
 * lower bound exceeds the upper one.
 */
export function rangeBounds(
  text: string,
): Pick<TargetSpec, 'value' | 'valueText' | 'upper' | 'upperText'> | null {
  const m = RANGE_VALUE.exec(fold(text));
  if (!m) return null;
  const value = toNumber(m[1]);
  const upper = toNumber(m[2]);
  if (value !== null && upper !== null && value > upper) return null;
  return {
    value,
    valueText: value === null ? m[1] : String(value),
    upper,
    upperText: upper === null ? m[2] : String(upper),
  };
}
