/**
 * Units of measure for 量化指标 and reported actuals. Actuals may be reported in a different unit of the same
 * quantity than the target (㎡ against 万平方米), so they are converted before summing. An unknown unit is kept
 * as text and never converted or summed: guessing would silently corrupt a bureau's figures.
 */

export const DIMENSIONS = ['area', 'length', 'count', 'weight', 'money', 'percent', 'volume'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

interface UnitDef {
  dimension: Dimension;
  /** How many base units (平方米, 米, 1 count, 千克, 元, 1 %, 立方米) one of this unit is. */
  factor: number;
}

const MU = 10000 / 15; // 1 亩 in 平方米, the legal definition (666.67 is a rounding of it)

/** Canonical unit name → definition. The canonical name is what normalizeUnit returns. */
const UNITS = new Map<string, UnitDef>(
  Object.entries({
    平方米: { dimension: 'area', factor: 1 },
    万平方米: { dimension: 'area', factor: 1e4 },
    平方公里: { dimension: 'area', factor: 1e6 },
    公顷: { dimension: 'area', factor: 1e4 },
    亩: { dimension: 'area', factor: MU },
    万亩: { dimension: 'area', factor: 1e4 * MU },
    米: { dimension: 'length', factor: 1 },
    公里: { dimension: 'length', factor: 1000 },
    万米: { dimension: 'length', factor: 1e4 },
    千克: { dimension: 'weight', factor: 1 },
    吨: { dimension: 'weight', factor: 1000 },
    万吨: { dimension: 'weight', factor: 1e7 },
    元: { dimension: 'money', factor: 1 },
    万元: { dimension: 'money', factor: 1e4 },
    亿元: { dimension: 'money', factor: 1e8 },
    '%': { dimension: 'percent', factor: 1 },
    立方米: { dimension: 'volume', factor: 1 },
    万立方米: { dimension: 'volume', factor: 1e4 },
  } satisfies Record<string, UnitDef>),
);

/**
 * Count words. The product treats them all as one interchangeable "count" (个/处/宗 for the same kind of
 * thing are used loosely across units' reports), so each keeps its own name but converts 1:1.
 */
export const COUNT_UNITS = [
  '个',
  '处',
  '宗',
  '件',
  '起',
  '次',
  '项',
  '座',
  '条',
  '家',
  '块',
  '辆',
  '台',
  '套',
  '人',
  '名',
] as const;
for (const word of COUNT_UNITS) UNITS.set(word, { dimension: 'count', factor: 1 });

/** Spelling variants (after folding: no spaces, half-width, lower case, ²³ as 23) → canonical name. */
const ALIASES = new Map<string, string>(
  Object.entries({
    '㎡': '平方米',
    m2: '平方米',
    平米: '平方米',
    平方: '平方米',
    sqm: '平方米',
    '万㎡': '万平方米',
    万m2: '万平方米',
    万平米: '万平方米',
    万平方: '万平方米',
    平方千米: '平方公里',
    km2: '平方公里',
    '㎢': '平方公里',
    ha: '公顷',
    m: '米',
    千米: '公里',
    km: '公里',
    '㎞': '公里',
    公斤: '千克',
    kg: '千克',
    '㎏': '千克',
    t: '吨',
    方: '立方米',
    立方: '立方米',
    m3: '立方米',
    '㎥': '立方米',
    万方: '万立方米',
    万立方: '万立方米',
    万m3: '万立方米',
    '万㎥': '万立方米',
  }),
);

/** Full-width ASCII (Ａ-ｚ, ０-９, ％…) → half-width; ideographic space → space. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

function fold(raw: string): string {
  return toHalfWidth(raw).replace(/\s+/g, '').replace(/²/g, '2').replace(/³/g, '3').toLowerCase();
}

/**
 * Canonical spelling of a unit: "㎡", "m²", " 平米 " → "平方米"; "千米" → "公里"; "方" → "立方米".
 * An unknown unit comes back trimmed (inner spaces removed) but otherwise as written.
 */
export function normalizeUnit(raw: string): string {
  const key = fold(raw);
  if (UNITS.has(key)) return key;
  return ALIASES.get(key) ?? raw.replace(/[\s\u3000]+/g, '');
}

/** The quantity a unit measures, or null for a unit this module does not know. */
export function dimensionOf(unit: string): Dimension | null {
  return UNITS.get(normalizeUnit(unit))?.dimension ?? null;
}

/** Rounds away binary floating noise (0.1 + 0.2, 15 亩 → 9999.999999999998 ㎡). */
function round6(x: number): number {
  return Number(x.toFixed(6));
}

/** `value` in `from` expressed in `to`; null when either unit is unknown or they measure different things. */
export function convert(value: number, from: string, to: string): number | null {
  if (!Number.isFinite(value)) return null;
  const a = UNITS.get(normalizeUnit(from));
  const b = UNITS.get(normalizeUnit(to));
  if (!a || !b || a.dimension !== b.dimension) return null;
  return round6((value * a.factor) / b.factor);
}

export interface Quantity {
  value: number;
  unit: string;
}

/** Sum of the quantities convertible to `target`; the rest are returned untouched so the caller can show them. */
export function sumInUnit(values: Quantity[], target: string): { total: number; skipped: Quantity[] } {
  let total = 0;
  const skipped: Quantity[] = [];
  for (const q of values) {
    const converted = convert(q.value, q.unit, target);
    if (converted === null) skipped.push(q);
    else total += converted;
  }
  return { total: round6(total), skipped };
}

/** The canonical units of one quantity, in table order (the web's report form offers them as choices). */
export function unitsOf(dimension: Dimension): string[] {
  return [...UNITS].filter(([, d]) => d.dimension === dimension).map(([name]) => name);
}
