/**
 * The units an item's text names (街道, 竹峰综合执法中队, 住建部门, "公安、水利等部门", 各区, 牵头局领导 …) and the
 * organization's units they are. One matcher per unit list, built once and memoised on the array, so reading
 * thousands of items costs one pass of one regex each.
 */
import type { UnitRef } from './types';

export interface UnitMatch {
  /** As the text writes it. */
  name: string;
  /** Offset in the text (UTF-16). */
  index: number;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .filter((w) => w !== '')
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
}

/**
 * Government departments reports name by their field ("住建部门", "公安、水利、自然资源、市场监管等部门"). A
 * closed list: "X部门" with an unknown X is left alone rather than guessing where the name starts.
 */
const DEPARTMENT_STEMS = [
  '住建',
  '住房城乡建设',
  '公安',
  '交警',
  '水利',
  '水务',
  '自然资源',
  '自然资源和规划',
  '规划',
  '国土',
  '市场监管',
  '司法',
  '生态环境',
  '环保',
  '交通',
  '交通运输',
  '财政',
  '发改',
  '应急',
  '应急管理',
  '消防',
  '教育',
  '卫健',
  '卫生健康',
  '民政',
  '文旅',
  '商务',
  '税务',
  '人社',
  '审计',
  '统计',
  '林业',
  '农业农村',
  '宣传',
  '网信',
  '纪检监察',
  '城管',
  '燃气主管',
  '行业主管',
];
const STEM = alternation(DEPARTMENT_STEMS);
/** "公安、水利、自然资源、市场监管等部门": the list is captured whole and split on 、. */
const DEPARTMENTS = String.raw`(?:${STEM})(?:、(?:${STEM}))*(?:等|等相关|等有关)?部门`;

/**
 * Collective or generic names: they name a kind of unit, not one unit. Order matters only between
 * prefixes of one another (longest first inside the alternation).
 */
const GENERIC_NAMES = [
  '街道办事处',
  '各街道',
  '街道',
  '乡镇',
  '各乡镇',
  '各县市区',
  '各区县',
  '各区',
  '属地中队',
  '综合执法中队',
  '街道综合执法中队',
  '执法中队',
  '各中队',
  '环卫公司',
  '物业公司',
  '燃气企业',
  '市城管委',
  '城管委',
  '局领导',
  '牵头局领导',
  '分管局领导',
  '责任局领导',
  '局属各单位',
  '各责任单位',
  '各科室',
];
const GENERIC = alternation(GENERIC_NAMES);
/** A redacted or named squad or company: "xx综合执法中队", "xx公司". */
const REDACTED = String.raw`[xX]+(?:综合执法中队|中队|公司)`;

/**
 * A unit word right after a count ("4条街道", "1至2个街道") is what is counted, not who does the work; a
 * unit word inside a longer word ("各区域") is no unit.
 */
const COUNTED_BEFORE = /(?:\d|[xX]|[一二两三四五六七八九十])[条个家处]$/;
/** Only places are counted that way; "三个街道综合执法中队" are the squads that do the work. */
const COUNTED_PLACE = /^(?:街道|街道办事处|乡镇)$/;
const NOT_AFTER: Record<string, RegExp> = { 各区: /^[域间块]/, 街道: /^[口路面]/ };

export interface UnitMatcher {
  find(text: string): UnitMatch[];
  resolve(name: string): string | null;
}

const DEPARTMENT_SPLIT = new RegExp(String.raw`(?:等|等相关|等有关)?部门$`);

/** Name variants a unit is also known by: "市住建局" → 住建局, 住建; "市自然资源和规划局" → 自然资源. */
function keysOf(name: string): string[] {
  const keys = new Set<string>([name]);
  const noCity = name.replace(/^[市省区县]/, '');
  for (const n of [name, noCity]) {
    keys.add(n);
    const stem = n.replace(/(?:局|委员会|委|办公室|办|部门|中心|单位)$/, '');
    if (stem.length >= 2) keys.add(stem);
    const first = stem.split('和')[0];
    if (first.length >= 2) keys.add(first);
  }
  return [...keys];
}

/** Generic name → predicate over the organization's units; a generic resolves only when exactly one unit fits. */
const GENERIC_FITS: [RegExp, (u: UnitRef) => boolean][] = [
  [/街道/, (u) => u.kind === 'street' && u.name.includes('街道')],
  [/^各(?:区|县市区|区县)$/, (u) => u.kind === 'street' && /[区县]$/.test(u.name)],
  [/乡镇/, (u) => /[乡镇]$/.test(u.name)],
  [/中队$/, (u) => u.kind === 'squad' && u.name.endsWith('中队')],
  [/局领导$/, (u) => u.kind === 'leadership'],
];

function buildMatcher(units: UnitRef[]): UnitMatcher {
  const exact = new Map<string, string>();
  for (const u of units) exact.set(u.name, u.id);
  const byKey = new Map<string, string | null>(); // null: two units share the key, so it says nothing
  for (const u of units) {
    for (const k of keysOf(u.name)) {
      if (exact.has(k) && exact.get(k) !== u.id) continue;
      byKey.set(k, byKey.has(k) && byKey.get(k) !== u.id ? null : u.id);
    }
  }
  // The organization's own names first (longest first), so "竹峰综合执法中队" is one unit, not a generic 中队.
  const own = alternation(units.map((u) => u.name).filter((n) => n.length >= 2));
  const pattern = new RegExp([own, DEPARTMENTS, REDACTED, GENERIC].filter((p) => p !== '').join('|'), 'g');

  function resolve(name: string): string | null {
    const hit = exact.get(name);
    if (hit !== undefined) return hit;
    const bare = name.replace(/^(?:牵头|分管|责任)(?=局领导)/, '').replace(DEPARTMENT_SPLIT, '');
    for (const k of [bare, ...keysOf(bare)]) {
      const id = byKey.get(k);
      if (id !== undefined && id !== null) return id;
    }
    for (const [generic, fits] of GENERIC_FITS) {
      if (!generic.test(name)) continue;
      const candidates = units.filter(fits);
      return candidates.length === 1 ? candidates[0].id : null;
    }
    return null;
  }

  function find(text: string): UnitMatch[] {
    const found: UnitMatch[] = [];
    for (const m of text.matchAll(pattern)) {
      const word = m[0];
      const index = m.index;
      if (COUNTED_PLACE.test(word) && COUNTED_BEFORE.test(text.slice(Math.max(0, index - 3), index)))
        continue;
      const after = NOT_AFTER[word];
      if (after && after.test(text.slice(index + word.length, index + word.length + 1))) continue;
      if (word.endsWith('部门') && word.includes('、')) {
        // A department list: each field is a unit of its own, named as written.
        let at = index;
        for (const part of word.replace(DEPARTMENT_SPLIT, '').split('、')) {
          found.push({ name: part, index: at });
          at += part.length + 1;
        }
      } else {
        found.push({ name: word, index });
      }
    }
    return found;
  }

  return { find, resolve };
}

const MATCHERS = new WeakMap<UnitRef[], UnitMatcher>();

/** The matcher for this unit list, built on first use (the caller passes the same array for a whole report). */
export function unitMatcher(units: UnitRef[]): UnitMatcher {
  let m = MATCHERS.get(units);
  if (!m) {
    m = buildMatcher(units);
    MATCHERS.set(units, m);
  }
  return m;
}
