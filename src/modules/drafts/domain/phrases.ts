/**
 * Phrase rules for one item's text (issue 17): its cadence, its deadline, its quantitative targets and the
 * units it names. Plain rules over the report's own wording; every decision is tabulated in phrases.spec.ts.
 * All patterns are compiled once here; the unit matcher is built once per unit list (unit-names.ts), so a
 * 4,000-item report is read in one pass per item.
 */
import { parseDeadline } from '../../plans/domain/dates';
import { normalizeUnit } from '../../plans/domain/measure';
import type { Cadence } from '../../plans/domain/types';
import type { DraftComparator, DraftContext, DraftTarget } from './types';
import { unitMatcher } from './unit-names';
import { ZH_NUMERAL_CHARS, zhToNumber } from './zh-numbers';

export interface ItemPhrases {
  cadence: Cadence;
  deadline: string | null;
  targets: DraftTarget[];
  units: string[];
  unitIds: (string | null)[];
}

/**
 * Full-width ASCII → half-width, one UTF-16 unit for one, so offsets in the folded text are offsets in the
 * original and metrics can be cut from the author's own words.
 */
function fold(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Cadence

/**
 * A stated frequency decides, the most frequent first: the cadence sets when progress is reported, and
 * "月督查、季考核" must be reported monthly (the same order as plans/domain/cadence.ts).
 */
const FREQUENCIES: [RegExp, Cadence][] = [
  [/每周|每个?星期|每两周|双周|按周|周调度|周例会|周通报|周报/, 'weekly'],
  [/每月|每个月|按月|月调度|月督查|月通报|月考核|月评比|月讲评|月报|月度/, 'monthly'],
  [/每季|按季|季考核|季调度|季督查|季通报|季评比|季讲评|季度(?:考核|调度|督查|通报|评估|讲评)/, 'quarterly'],
  [/每年|一年一次|按年|(?<![\dxX年])年度(?:绩效)?(?:评估|考核|考评|评比|检查|总结|报告|体检)/, 'annual'],
];

/** A one-off deliverable: done once, then the item is closed. */
const ONCE =
  /完成(?!情况|率|进度|质量)|建成|新建|改建|新增|举办|出台|编制|启动|制定|修订|印发|召开|竣工|投产|投入使用|上线|设立|成立|组建|通过测评/;
/** Continuous work with no end in the year. */
const ONGOING = /持续|常态化|常态|长效|坚持|不断|定期|经常性|日常|长期|始终|久久为功|深化|加强|落实/;
/**
 * A milestone inside the year ("6月底前…", "三季度…", "上半年…"): what must be done by then is a deliverable.
 * 年底前 / 年内 / 全年 only restate the plan year, so they say nothing about the kind of duty.
 */
const IN_YEAR_MILESTONE =
  /(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份|底|末|[上中下]旬|(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?(?:前|之前|以前)|(?<!每)第?[一二三1-3]季度|[上下]半年(?:前|内|完成)?/;
/** A named project or works being delivered ("推进宁城路…提升工程", "实施智慧城管二期项目建设"). */
const PROJECT =
  /(?:实施|推进|建设|新建|开工|新开工|启动|完成|建成)[^，。；,;]{2,30}?(?<![各每])(?:项目|工程)(?![施管师标])/;

/**
 * 1. a frequency word wins (weekly > monthly > quarterly > annual);
 * 2. else the first of a one-off verb (完成, 建成, 举办, 出台, 编制, 启动 …) and a continuity word (持续, 常态化,
 *    坚持, 定期 …) decides: the leading verb of a Chinese duty states what it is ("常态化开展…，完成…" is
 *    ongoing work with a milestone; "完成…建设，加强…" is a deliverable);
 * 3. else a named project or works, or a duty due by a milestone inside the year ("9月底前接入…", "三季度开展
 *    …评估"), is a deliverable: once;
 * 4. else ongoing: 推进 / 提升 / 强化 duties run all the plan year and are reported on the plan's default cycle.
 * 加强 / 深化 / 落实 are continuity words of step 2 (the issue names them): "深化示范片区建设，…每区新增1至2个街道"
 * is continuous work with a figure, not a deliverable.
 */
export function readCadence(text: string): Cadence {
  const s = fold(text);
  for (const [pattern, cadence] of FREQUENCIES) if (pattern.test(s)) return cadence;
  const once = ONCE.exec(s);
  const ongoing = ONGOING.exec(s);
  if (once && (!ongoing || once.index < ongoing.index)) return 'once';
  if (ongoing) return 'ongoing';
  if (PROJECT.test(s) || IN_YEAR_MILESTONE.test(s)) return 'once';
  return 'ongoing';
}

// ---------------------------------------------------------------------------------------------------------
// Deadline

const ZH_MONTH = '十[一二]?|[一二三四五六七八九]';
const ZH_DAY = '[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]';
/** Phrases that name a date; each is handed to parseDeadline (plans/domain/dates.ts), which knows them all. */
const DEADLINE_PHRASES = new RegExp(
  [
    // 2022年6月30日前, 6月底前, 十二月底, 9月中旬, 6月份
    String.raw`(?:\d{4}年)?(?<!\d)(?:\d{1,2}|${ZH_MONTH})月(?:份)?(?:(?:\d{1,2}|${ZH_DAY})[日号]|底|末|上旬|中旬|下旬)?(?=前|之前|以前|完成|底|末|份|[，。；、,;]|$)`,
    String.raw`(?:\d{4}年)?(?<!\d)(?:\d{1,2}|${ZH_MONTH})月(?:\d{1,2}|${ZH_DAY})[日号]`,
    String.raw`(?:\d{4}年)?(?<!\d)(?:\d{1,2}|${ZH_MONTH})月(?:底|末|上旬|中旬|下旬)`,
    // 2022-06-30
    String.raw`(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)`,
    // 年内, 年底前, 全年, 2022年底
    String.raw`\d{4}年(?:底|末|内)`,
    String.raw`(?<![一二三四五六七八九十两\d个半])(?:年内|年底|年末|全年|年度内|本年度)`,
    // 上半年 / 下半年, 一季度 / 第二季度 / 3季度
    String.raw`(?:\d{4}年)?[上下]半年`,
    String.raw`(?<!每)(?:\d{4}年)?第?[一二三四1-4]季度`,
  ].join('|'),
  'g',
);
const SPRING_FESTIVAL = /春节(?:前|之前|以前)/;

/** The Spring Festival (正月初一) of each year; "春节前" is the day before it. */
const SPRING_FESTIVAL_DAY: Record<number, string> = {
  2020: '01-25',
  2021: '02-12',
  2022: '02-01',
  2023: '01-22',
  2024: '02-10',
  2025: '01-29',
  2026: '02-17',
  2027: '02-06',
  2028: '01-26',
  2029: '02-13',
  2030: '02-03',
  2031: '01-23',
  2032: '02-11',
  2033: '01-31',
  2034: '02-19',
  2035: '02-08',
};

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The item's deadline: the latest date its text names (a text with milestones, "上半年完成…，年底前全面
 *推开", is due when its last step is), relative to `year` when the text names no year. Dates before the
 * plan year are history ("2021年签约的项目"), not deadlines. Null when the text names none: ongoing work
 * without a date is left for the reviewer or the plan's default rather than given an invented year-end.
 */
export function readDeadline(text: string, year: number): string | null {
  const s = fold(text);
  let latest: string | null = null;
  const floor = `${year}-01-01`;
  const consider = (iso: string | null) => {
    if (iso !== null && iso >= floor && (latest === null || iso > latest)) latest = iso;
  };
  for (const m of s.matchAll(DEADLINE_PHRASES)) consider(parseDeadline(m[0], year));
  if (SPRING_FESTIVAL.test(s)) {
    const day = SPRING_FESTIVAL_DAY[year];
    if (day) consider(dayBefore(`${year}-${day}`));
  }
  return latest;
}

// ---------------------------------------------------------------------------------------------------------
// Targets

/** Measure words, longest first so 万平方米 is not read as 万 + 平方米 and 个百分点 not as 个. */
const MEASURES = [
  '万平方米',
  '平方米',
  '平方公里',
  '平方千米',
  '万亩',
  '亩',
  '公顷',
  '万公里',
  '公里',
  '千米',
  '万米',
  '米',
  '万立方米',
  '立方米',
  '万吨',
  '吨',
  '千克',
  '公斤',
  '亿元',
  '万元',
  '元',
  '%',
  '个百分点',
  '个',
  '处',
  '条',
  '家',
  '座',
  '次',
  '件',
  '项',
  '部',
  '名',
  '人次',
  '人',
  '辆',
  '台',
  '套',
  '块',
  '起',
  '宗',
  '所',
  '支',
  '场',
  '户',
  '只',
  '盏',
  '棵',
  '株',
  '学时',
  '课时',
  // "1至2千个", "x.x千个": the author's multiplier stays with the count word, as 万 does in 万平方米.
  ...['千', '万'].flatMap((m) =>
    ['个', '处', '条', '家', '座', '件', '辆', '台', '套', '户', '盏', '棵', '株'].map((u) => m + u),
  ),
  // "4期" (with digits only: "项目一期" is a phase, not an amount)
  '期',
].sort((a, b) => b.length - a.length);

const ZH_NUM = `[${ZH_NUMERAL_CHARS}]+`;
const ZH_ONLY = new RegExp(`^${ZH_NUM}$`);
const NUM = String.raw`\d+(?:,\d{3})*(?:\.\d+)?|[xX]+(?:\.[xX]+)?|${ZH_NUM}`;
const TARGET = new RegExp(
  String.raw`(?<lo>${NUM})(?:\s*(?:-|~|—|–|至|到)\s*(?<hi>${NUM}))?\s*(?<unit>${MEASURES.join('|')})(?<suffix>以上|以内|以下|左右)?`,
  'g',
);
/** "零上访", "安全生产零责任事故", "确保全年无安全生产事故", "违法建设“零增长”": the thing that must not happen, = 0. */
const ZERO_NOUNS = '事故|上访|投诉|事件|伤亡|死亡|发案|违建|污染|增长';
const ZERO = new RegExp(
  String.raw`零(?<a>[\u4e00-\u9fa5]{0,6}?(?:${ZERO_NOUNS}))|(?<=(?:确保|实现|做到|保持|力争)(?:全年|年内|全市|全域|辖区)?)无(?<b>[\u4e00-\u9fa5]{0,8}?(?:${ZERO_NOUNS}|重大问题))`,
  'g',
);

/** Comparator words anywhere in the target's clause ("至少确定x个"); ≤ words are checked first (不超过 ⊃ 超过). */
const AT_MOST = /不超过|不高于|不多于|不大于|控制在|最多/;
const AT_LEAST = /至少|不少于|不低于|不小于|达到|超过|达$/;
const COMPARATOR_WORDS = /至少|不少于|不低于|不小于|达到|超过|不超过|不高于|不多于|不大于|控制在|最多/g;
/** An aspiration ("力争引进x个…") is a floor: exceeding it is success. */
const ASPIRATION = /力争|争取/;
/** Where a target's own words end: a clause break. 、 joins the names of one metric ("A、B2个项目"). */
const CLAUSE_BREAK = /[，。；：,;:！？!?\n]/;
/** Words in front of a metric that say how hard or when, not what. */
const LEADING_FILLER =
  /^(?:\d+[.．、)）]|(?:\d{4}年)?(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份|底|末|[上中下]旬|\d{1,2}[日号])?(?:前|之前|以前)?|第?[一二三四1-4]季度|[上下]半年|年底前|年内|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、是]|[、\s]|确保|力争|争取|努力|全力|积极|完成|实现|全年|年内|今年|并且|并|要|在|和|及|共|累计|再|其中|同时|每(?:周|月|季度?|年))+/;
const TRAILING_FILLER = /(?:[、\s的]|达到|达|为|约|共|计|总计|累计|保持在|稳定在|等)+$/;
/** The same, but an 等 that closes a list before the counted noun stays ("中山路、解放路等5条道路"). */
const TRAILING_FILLER_KEEP_DENG = /(?:[、\s的]|达到|达|为|约|共|计|总计|累计|保持在|稳定在)+$/;
/** "年产xxx万套…项目": a plant's capacity describes the project, it is not an amount to deliver. */
const CAPACITY_BEFORE = /(?:年|日|月)(?:产|产能|处理|处置|处理能力)$/;
/** "1至2个工作日内", "3个月内": a time limit for the work, not an amount to deliver. */
const DURATION_AFTER = /^(?:工作日|自然日|月|小时|星期|季度)/;
/** A Chinese-numeral count is a target only after a boundary or a delivering verb (not in "中央八项规定"). */
const ZH_COUNT_LEAD =
  /(?:^|[，。；：、,;:\s(（]|新增|新建|建成|建设|完成|开工|引进|打造|创建|确定|培育|举办|开展|召开|组织|设立|实施|改造|增设|推出|选树|评选|达到|至少|不少于|不低于|超过|不超过|控制在|累计|共|各|保障|聘请|培训|配备|招聘|启动|建立|新开工)$/;
/** "每月开展一次": a frequency, which is cadence, not a target. */
const FREQUENCY_WORD = /每(?:周|星期|月|个月|季度?|年|天|日|半年)|一年/;
const FREQUENCY_MEASURES = new Set(['次', '场']);

/**
 * Where the text is inside quotes or a title: “两个确立”, “x.xx”城市管理日 and 《城市容貌标准(GB50449-2008)》
 * are names, not targets. One pass; returns a per-offset flag.
 */
function quotedMask(s: string): Uint8Array {
  const mask = new Uint8Array(s.length);
  let depth = 0;
  let straight = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '“' || c === '《' || c === '「' || c === '『') depth++;
    else if ((c === '”' || c === '》' || c === '」' || c === '』') && depth > 0) depth--;
    else if (c === '"') straight = !straight;
    else if (depth > 0 || straight) mask[i] = 1;
  }
  return mask;
}

/**
 * Where the text is inside round brackets: "推行“721”工作法（70%的问题用服务手段解决…）" explains a method, and the
 * figures of an explanation are not targets.
 */
function bracketMask(s: string): Uint8Array {
  const mask = new Uint8Array(s.length);
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth > 0) mask[i] = 1;
  }
  return mask;
}

function clauseStart(s: string, before: number, floor: number): number {
  for (let i = before - 1; i >= floor; i--) if (CLAUSE_BREAK.test(s[i])) return i + 1;
  return floor;
}

/**
 * Where a target's trailing words end: the clause break, or — when another figure follows in the same
 * clause — the last 、 before it ("1至2个街道、城陵矶新港区新增20家…"), so "微创新、小改革特色党建品牌" stays whole.
 */
function clauseEnd(s: string, from: number): number {
  let lastComma = -1;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (CLAUSE_BREAK.test(c)) return i;
    if (c === '、') lastComma = i;
    else if (/[\dxX]/.test(c) || (ZH_NUMERAL_CHARS.includes(c) && lastComma >= 0)) {
      if (lastComma >= 0) return lastComma;
      if (/[\dxX]/.test(c)) return i;
    }
  }
  return s.length;
}

function cleanMetric(pre: string, post: string): string {
  // "…x.x万平方米以上的工作目标": what follows 的 qualifies another noun; the metric is what came before.
  const tail = post.startsWith('的') ? '' : post.replace(TRAILING_FILLER, '');
  const head = pre
    .replace(COMPARATOR_WORDS, '')
    .replace(LEADING_FILLER, '')
    .replace(tail === '' ? TRAILING_FILLER : TRAILING_FILLER_KEEP_DENG, '');
  return (head + tail).trim();
}

function readValue(raw: string): number | string | null {
  if (/^\d/.test(raw)) return Number(raw.replace(/,/g, ''));
  if (/^[xX]/.test(raw)) return raw.toLowerCase();
  return zhToNumber(raw);
}

interface Found extends DraftTarget {
  index: number;
}

/**
 * The quantitative targets of one item, in order of appearance. A bare figure ("新开工…项目2个") is the
 * amount to deliver: '='. Years, ordinals (第二轮), codes (GB50449-2008), slogans and names in quotes
 * ("两个确立", "三会一课", "十四五"), dates and frequencies (每月开展一次) are not targets.
 */
export function readTargets(text: string): DraftTarget[] {
  const s = fold(text);
  const quoted = quotedMask(s);
  const bracketed = bracketMask(s);
  const found: Found[] = [];
  let consumed = 0; // where the previous target's words end

  for (const m of s.matchAll(TARGET)) {
    const index = m.index;
    const { lo, hi, unit, suffix } = m.groups!;
    if (quoted[index] || bracketed[index]) continue;
    const prev = index > 0 ? s[index - 1] : '';
    if (/[A-Za-z\d.+\-/]/.test(prev) || prev === '第') continue;
    const zh = ZH_ONLY.test(lo);
    if (zh && !ZH_COUNT_LEAD.test(s.slice(Math.max(0, index - 4), index))) continue;

    if (unit === '期' && !/^[\dxX]/.test(lo)) continue;
    if (CAPACITY_BEFORE.test(s.slice(Math.max(0, index - 4), index))) continue;
    if (unit === '个' && DURATION_AFTER.test(s.slice(index + m[0].length))) continue;

    const start = clauseStart(s, index, consumed);
    const pre = text.slice(start, index);
    if (FREQUENCY_MEASURES.has(unit) && hi === undefined && FREQUENCY_WORD.test(s.slice(start, index)))
      continue;

    const low = readValue(lo);
    const high = hi === undefined ? null : readValue(hi);
    if (low === null || (hi !== undefined && high === null)) continue;

    let comparator: DraftComparator;
    let value: number | string;
    if (hi !== undefined) {
      comparator = 'range';
      value = `${low}-${high}`;
    } else {
      value = low;
      const head = s.slice(start, index);
      if (suffix === '以上') comparator = '>=';
      else if (suffix === '以内' || suffix === '以下') comparator = '<=';
      else if (AT_MOST.test(head)) comparator = '<=';
      else if (AT_LEAST.test(head) || ASPIRATION.test(head)) comparator = '>=';
      else comparator = '=';
    }

    const afterMatch = index + m[0].length;
    const end = clauseEnd(s, afterMatch);
    const metric = cleanMetric(pre, text.slice(afterMatch, end));
    consumed = end;
    if (metric === '') continue;
    found.push({ metric, comparator, value, unit: normalizeUnit(unit), index });
  }

  for (const m of s.matchAll(ZERO)) {
    const index = m.index;
    // A quote that is only the zero target ("保持违法建设“零增长”") states it; "零容忍" in a slogan does not.
    const ownQuote = s[index - 1] === '“' && s[index + m[0].length] === '”';
    if (quoted[index] && !ownQuote) continue;
    if (index > 0 && ZH_NUMERAL_CHARS.includes(s[index - 1])) continue; // 一百零五
    const noun = m.groups!.a ?? m.groups!.b;
    const start = clauseStart(s, index, 0);
    const pre = text
      .slice(start, index)
      .replace(/“$/, '')
      .replace(/(?:确保|实现|做到|保持|力争)(?:全年|年内|全市|全域|辖区)?$/, '')
      .replace(/^(?:保持|确保|实现)/, '');
    const metric = cleanMetric(pre, noun);
    if (metric === '') continue;
    found.push({ metric, comparator: '=', value: 0, unit: null, index });
  }

  return found.sort((a, b) => a.index - b.index).map(({ index: _index, ...t }) => t);
}

// ---------------------------------------------------------------------------------------------------------
// Units

/**
 * The units the text names, in order of appearance, each once, and per name the organization's unit it is
 * (exact name, then an alias such as 住建部门 ↔ 市住建局), or null: a unit proposed as new, or a collective
 * (街道, 各区) that names several units — the reviewer picks.
 */
export function readUnits(text: string, ctx: DraftContext): { units: string[]; unitIds: (string | null)[] } {
  const matcher = unitMatcher(ctx.units);
  const s = fold(text);
  const quoted = quotedMask(s);
  const units: string[] = [];
  const unitIds: (string | null)[] = [];
  for (const { name, index } of matcher.find(s)) {
    if (quoted[index] || units.includes(name)) continue;
    units.push(name);
    unitIds.push(matcher.resolve(name));
  }
  return { units, unitIds };
}

export function analyseItem(text: string, ctx: DraftContext): ItemPhrases {
  return {
    cadence: readCadence(text),
    deadline: readDeadline(text, ctx.year),
    targets: readTargets(text),
    ...readUnits(text, ctx),
  };
}
