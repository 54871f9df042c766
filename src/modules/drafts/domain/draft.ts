/**
 * Work-report text → plan draft (导入工作报告). Pure: no Nest, no database.
 *
 * 1. The text is read as paragraphs; each is an outline heading (一、/（一）/1.), a 任务分解表 (tab-separated or one
 *    cell per line, see table.ts) or plain text.
 * 2. Top-level sections are found by context, not by pattern alone: a "一、" list that restarts inside a section
 *    (doc 000's 2021 review lists 一、…七、 under "一、2021年工作回顾") is nested in it; the next top-level heading
 *    is the one numbered after its parent, or one that names a year / 回顾 / 重点任务 when both readings fit.
 * 3. The plan year's part is kept: top-level sections naming the year and the ones after them, not the previous
 *    year's review (year-1, 回顾, 一年来), not the guiding-thought ones (指导思想, 总体要求…). A kept top-level
 *    section whose children restart at 一、 (doc 000's "二、2022年工作目标和重点任务") gives its children as the
 *    draft's sections.
 * 4. In a section, the key tasks are its （一）headings, else its 1. headings. Text before the first task is the
 *    section's lead-in (dropped) except an indicator list (主要任务指标是：A；B；C。), which becomes a task of
 *    kind 'indicators'. A section without task headings gives its indicator list, else one task of its text.
 *    The catch-all paragraph (在抓好上述重点工作的同时，统筹做好…等工作) becomes a task of kind 'other' at the end
 *    of the last section; the closing exhortation (同志们，…) ends a section.
 * 5. A task's items: its 一是/二是… (or （1）, ①, 1.) clauses when it has them — the lead-in before the first one
 *    frames the list and is not an item — otherwise each sentence (split at 。；, not inside quotes or brackets)
 *    except framing statements. A 任务分解表 gives one item per row inside a task; standing alone, one task per
 *    row (its 工作任务 cell's duties as items), or with a 具体内容 column, one task per 工作任务 group.
 * Every item's `span` is its exact place in the text as given: text.slice(span[0], span[1]) === item.text.
 */
import { parseDeadline } from '../../plans/domain/dates';
import {
  Heading,
  Para,
  Range,
  asciiView,
  clauseMarkers,
  headingOf,
  indexOutside,
  paragraphs,
  splitClauses,
  trimRange,
} from './outline';
import { analyseItem, readCadence } from './phrases';
import { Table, tableAt, unitNames } from './table';
import { titleFromText } from './title';
import { DraftBody, DraftContext, DraftItem, DraftParseError, DraftSection, DraftTask } from './types';

type Block =
  | { type: 'heading'; para: Para; h: Heading; top?: boolean }
  | { type: 'text'; para: Para }
  | { type: 'table'; para: Para; table: Table };

const TABLE_HINT = /^(序号|编号|工作任务|重点任务|主要任务|具体任务|任务名称)/;
const CLOSING = /^(同志们|让我们)/;
const CATCH_ALL =
  /(?:上述|以上)[^。，,]{0,20}(?:工作|任务)[^。，,]{0,6}的同时|统筹做好[^。]{2,120}等(?:各项)?工作/;
const INDICATORS = /主要(?:任务)?(?:指标|目标)(?:任务)?(?:是|为|如下)?[：:]/g;
const GUIDING = /指导思想|总体要求|基本原则|总体思路|工作思路$/;
const TOP_LEVEL_HINT = /(?:19|20)\d\d|回顾|一年来|工作目标|重点任务|工作安排|总体要求|保障措施|指导思想/;
/**
 * Framing statements (why, not what): not items when a task has no 一是 clauses. Kept narrow on purpose: a
 * sentence that is missed here is still an item the reviewer can delete, a duty dropped here is lost.
 */
const FRAMING = [
  /是(?:我们)?[^，,。；]{0,30}的(?:工作指南|重要基础|根本遵循|关键所在|重中之重|重点领域)/,
  /关键在党|关键在人/,
  /意义(?:重大|深远)/,
  /^(?:19|20)\d\d年是/,
];

export function draftFromText(text: string, ctx: DraftContext): DraftBody {
  if (text.trim() === '') throw new DraftParseError('报告内容为空');
  const view = asciiView(text);
  const blocks = readBlocks(text, view);
  markTopLevel(view, blocks);
  const builder = new Builder(text, view, ctx);

  const tops = blocks.flatMap((b, i) => (b.type === 'heading' && b.top ? [i] : []));
  if (tops.length === 0) {
    builder.section(null, blocks, 0, blocks.length);
  } else {
    const kinds = tops.map((i) => kindOf(headingTitle(text, view, blocks[i] as HeadingBlock), ctx.year));
    const firstPlan = kinds.indexOf('plan');
    tops.forEach((at, k) => {
      const keep =
        firstPlan === -1
          ? kinds[k] === 'neutral'
          : k >= firstPlan && kinds[k] !== 'review' && kinds[k] !== 'guiding';
      if (!keep) return;
      const end = k + 1 < tops.length ? tops[k + 1] : blocks.length;
      const children: number[] = [];
      for (let i = at + 1; i < end; i++) {
        const b = blocks[i];
        if (b.type === 'heading' && b.h.level === 'A') children.push(i);
      }
      if (children.length === 0) {
        builder.section(at, blocks, at + 1, end);
        return;
      }
      // The top-level heading frames its children: its own lead-in only matters for an indicator list.
      builder.leadIn(blocks, at + 1, children[0]);
      children.forEach((c, n) => {
        const title = headingTitle(text, view, blocks[c] as HeadingBlock);
        if (GUIDING.test(title.text)) return;
        builder.section(c, blocks, c + 1, n + 1 < children.length ? children[n + 1] : end);
      });
    });
    if (builder.sections.length === 0 && builder.other.length === 0) {
      throw new DraftParseError(
        `未能找到${ctx.year}年的工作部分：报告的各部分都是往年回顾或指导思想，请检查年度`,
      );
    }
  }
  return builder.finish();
}

type HeadingBlock = Extract<Block, { type: 'heading' }>;

function readBlocks(text: string, view: string): Block[] {
  const paras = paragraphs(text);
  const blocks: Block[] = [];
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i];
    if (TABLE_HINT.test(text.slice(p.start, Math.min(p.end, p.start + 6)))) {
      const table = tableAt(text, paras, i);
      if (table && table.rows.length > 0) {
        blocks.push({ type: 'table', para: { start: p.start, end: paras[table.lastPara].end }, table });
        i = table.lastPara;
        continue;
      }
    }
    const h = headingOf(text, view, p);
    blocks.push(h ? { type: 'heading', para: p, h } : { type: 'text', para: p });
  }
  return blocks;
}

/** Marks the top-level 一、 headings (see the file comment, rule 2). */
function markTopLevel(view: string, blocks: Block[]): void {
  let top: number | null = null;
  let nestedNext: number | null = null;
  for (const b of blocks) {
    if (b.type !== 'heading' || b.h.level !== 'A') continue;
    const n = b.h.n;
    const hint = TOP_LEVEL_HINT.test(view.slice(b.h.bodyStart, Math.min(b.para.end, b.h.bodyStart + 40)));
    let isTop: boolean;
    if (top === null) isTop = true;
    else if (nestedNext !== null && n === nestedNext) isTop = n === top + 1 && hint;
    else if (n === top + 1) isTop = true;
    else if (n === 1) isTop = false;
    else isTop = true; // irregular numbering: trust the heading
    if (isTop) {
      top = n;
      nestedNext = null;
    } else nestedNext = n + 1;
    b.top = isTop;
  }
}

type SectionKind = 'plan' | 'review' | 'guiding' | 'neutral';

function kindOf(title: { text: string; view: string }, year: number): SectionKind {
  const names = (y: number): string[] => [`${y}`, zhYear(y)];
  if (names(year).some((y) => title.view.includes(y)) || /今年|本年度/.test(title.text)) return 'plan';
  if (
    names(year - 1).some((y) => title.view.includes(y)) ||
    /回顾|一年来|过去一年|去年|总结/.test(title.text)
  ) {
    return 'review';
  }
  if (GUIDING.test(title.text)) return 'guiding';
  return 'neutral';
}

/** 2023 → 二〇二三 (as some reports write the year). */
function zhYear(y: number): string {
  return [...`${y}`].map((d) => '〇一二三四五六七八九'[Number(d)]).join('');
}

/** A heading's title: its words up to the first 。 (or ：) outside quotes; the rest of the line is body. */
function headingTitle(
  text: string,
  view: string,
  b: HeadingBlock,
): { text: string; view: string; bodyStart: number } {
  const s = b.h.bodyStart;
  const e = b.para.end;
  let stop = indexOutside(text, '。', s, e);
  const colon = indexOutside(text, '：', s, stop === -1 ? e : stop);
  if (colon !== -1) stop = colon;
  const titleEnd = stop === -1 ? e : stop;
  const [ts, trimmedEnd] = trimRange(text, s, titleEnd);
  let te = trimmedEnd;
  while (te > ts && /[：:，,；;]/.test(text[te - 1])) te--;
  const bodyStart = stop === -1 ? e : stop + 1;
  return { text: text.slice(ts, te), view: view.slice(ts, te), bodyStart };
}

interface OpenTask {
  task: DraftTask;
  /** The task's body in order: runs of contiguous text paragraphs and tables; items are read at the end. */
  parts: ({ kind: 'text'; range: Range } | { kind: 'table'; table: Table })[];
}

class Builder {
  readonly sections: DraftSection[] = [];
  /** Items of catch-all paragraphs, put in an 'other' task at the end. */
  readonly other: DraftItem[] = [];
  private otherSpan: Range | null = null;
  private pendingIndicators: DraftTask[] = [];

  constructor(
    private readonly text: string,
    private readonly view: string,
    private readonly ctx: DraftContext,
  ) {}

  /** A top-level heading's own lead-in before its child sections: only an indicator list counts. */
  leadIn(blocks: Block[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const b = blocks[i];
      if (b.type === 'text') this.pendingIndicators.push(...this.indicators(b.para.start, b.para.end));
    }
  }

  section(at: number | null, blocks: Block[], from: number, to: number): void {
    const hb = at === null ? null : (blocks[at] as HeadingBlock);
    const title = hb ? headingTitle(this.text, this.view, hb) : null;
    const section: DraftSection = {
      numbering: hb ? hb.h.numbering : null,
      title: title ? title.text : '重点任务',
      span: null,
      tasks: [...this.pendingIndicators],
    };
    this.pendingIndicators = [];
    const taskLevel = blocks.slice(from, to).some((b) => b.type === 'heading' && b.h.level === 'B')
      ? 'B'
      : blocks.slice(from, to).some((b) => b.type === 'heading' && b.h.level === 'C')
        ? 'C'
        : null;
    const leadIn: Range[] = [];
    if (hb && title && title.bodyStart < hb.para.end)
      leadIn.push(trimRange(this.text, title.bodyStart, hb.para.end));
    const open: OpenTask[] = [];
    let current: OpenTask | null = null;
    let lastEnd = hb ? hb.para.end : (blocks[from]?.para.start ?? 0);
    let prevText = false; // the previous block was text of the current task (a segment to extend)

    for (let i = from; i < to; i++) {
      const b = blocks[i];
      const p = b.para;
      const head = this.text.slice(p.start, Math.min(p.end, p.start + 8));
      if (b.type !== 'table' && CLOSING.test(head)) break;
      lastEnd = p.end;
      if (b.type === 'heading' && b.h.level === taskLevel) {
        current = this.openTask(b);
        open.push(current);
        prevText = true;
        continue;
      }
      if (b.type === 'table') {
        if (current) current.parts.push({ kind: 'table', table: b.table });
        else open.push(...this.tableTasks(b.table));
        prevText = false;
        continue;
      }
      // text, or a heading of a lower level than the tasks' (a 1. inside a （一）): body text
      if (b.type === 'text' && CATCH_ALL.test(this.text.slice(p.start, p.end))) {
        this.catchAll(p);
        current = null;
        prevText = false;
        continue;
      }
      if (!current) {
        leadIn.push([p.start, p.end]);
        continue;
      }
      const last = current.parts[current.parts.length - 1];
      if (prevText && last && last.kind === 'text') last.range[1] = p.end;
      else current.parts.push({ kind: 'text', range: [p.start, p.end] });
      prevText = true;
    }

    const indicators = leadIn.flatMap(([s, e]) => this.indicators(s, e));
    section.tasks.push(...indicators);
    for (const t of open) section.tasks.push(this.closeTask(t));
    const runningText =
      open.length === 0 &&
      indicators.length === 0 &&
      leadIn.length > 0 &&
      taskLevel === null &&
      // without any heading at all, only a text of 一是… clauses is an outline
      (hb !== null || leadIn.some(([s, e]) => clauseMarkers(this.text, this.view, s, e).length > 0));
    if (runningText) {
      // A section written as running text (no task headings): one task of its text.
      const implicit: OpenTask = {
        task: {
          numbering: null,
          title: section.title,
          kind: 'task',
          span: [leadIn[0][0], leadIn[leadIn.length - 1][1]],
          items: [],
        },
        parts: leadIn.map((r) => ({ kind: 'text' as const, range: r })),
      };
      section.tasks.push(this.closeTask(implicit));
    }
    section.tasks = section.tasks.filter((t) => t.items.length > 0);
    section.span = [hb ? hb.para.start : (blocks[from]?.para.start ?? 0), lastEnd];
    if (section.tasks.length > 0) this.sections.push(section);
  }

  finish(): DraftBody {
    if (this.other.length > 0) {
      const task: DraftTask = {
        numbering: null,
        title: '统筹做好其他工作',
        kind: 'other',
        span: this.otherSpan,
        items: this.other,
      };
      const last = this.sections[this.sections.length - 1];
      if (last) last.tasks.push(task);
      else this.sections.push({ numbering: null, title: '其他工作', span: this.otherSpan, tasks: [task] });
    }
    if (this.sections.every((s) => s.tasks.every((t) => t.kind === 'other'))) {
      throw new DraftParseError(
        '未能识别出报告的任务结构：没有找到“一、”“（一）”“1.”等编号的任务、“一是…二是…”的分项，也没有任务分解表',
      );
    }
    return { sections: this.sections };
  }

  private openTask(b: HeadingBlock): OpenTask {
    const t = headingTitle(this.text, this.view, b);
    let title = t.text;
    let bodyStart = t.bodyStart;
    if (title.length > 40) {
      // Not a heading phrase but a whole sentence: it is also the task's first duty.
      title = titleFromText(title);
      bodyStart = b.h.bodyStart;
    }
    const task: DraftTask = {
      numbering: b.h.numbering,
      title,
      kind: 'task',
      span: [b.para.start, b.para.end],
      items: [],
    };
    const parts: OpenTask['parts'] = [];
    if (bodyStart < b.para.end) parts.push({ kind: 'text', range: [bodyStart, b.para.end] });
    return { task, parts };
  }

  private closeTask(t: OpenTask): DraftTask {
    let end = t.task.span ? t.task.span[1] : 0;
    for (const part of t.parts) {
      if (part.kind === 'text') {
        t.task.items.push(...this.textItems(part.range[0], part.range[1]));
        end = Math.max(end, part.range[1]);
      } else {
        for (const row of part.table.rows) {
          const item = this.rowItem(part.table, row.cells, null);
          if (item) t.task.items.push(item);
        }
      }
    }
    if (t.task.span) t.task.span = [t.task.span[0], end];
    return t.task;
  }

  /** Items of a run of body text: its 一是… clauses, else its duty sentences. */
  private textItems(start: number, end: number): DraftItem[] {
    const markers = clauseMarkers(this.text, this.view, start, end);
    if (markers.length > 0) {
      return markers
        .map((m, k) => this.rangeItem(m.textStart, k + 1 < markers.length ? markers[k + 1].at : end))
        .filter((x): x is DraftItem => x !== null);
    }
    return splitClauses(this.text, start, end, '。；;！')
      .filter(([s, e]) => !FRAMING.some((re) => re.test(this.text.slice(s, e))))
      .map(([s, e]) => this.rangeItem(s, e))
      .filter((x): x is DraftItem => x !== null);
  }

  /** 主要任务指标是：A；B；C。 → a task whose items are A, B, C. */
  private indicators(start: number, end: number): DraftTask[] {
    const out: DraftTask[] = [];
    const slice = this.text.slice(start, end);
    INDICATORS.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = INDICATORS.exec(slice))) {
      const at = start + m.index;
      const listStart = at + m[0].length;
      const stop = indexOutside(this.text, '。', listStart, end);
      const listEnd = stop === -1 ? end : stop;
      const items = splitClauses(this.text, listStart, listEnd, '；;')
        .map(([s, e]) => this.rangeItem(s, e))
        .filter((x): x is DraftItem => x !== null);
      const title = m[0].replace(/(?:是|为|如下)?[：:]$/, '');
      out.push({
        numbering: null,
        title,
        kind: 'indicators',
        span: [at, stop === -1 ? end : stop + 1],
        items,
      });
      INDICATORS.lastIndex = listEnd - start;
    }
    return out;
  }

  /** 在全力抓好上述重点工作任务的同时，我们要进一步统筹做好…等工作，认真落实上级交办事项，促进… */
  private catchAll(p: Para): void {
    this.otherSpan = this.otherSpan ? [this.otherSpan[0], p.end] : [p.start, p.end];
    for (const [ss, se] of splitClauses(this.text, p.start, p.end, '。；;')) {
      let prev: DraftItem | null = null;
      for (const [cs, ce] of splitClauses(this.text, ss, se, '，,')) {
        const clause = this.text.slice(cs, ce);
        if (/的同时[，,]?$/.test(clause)) continue;
        if (prev && /^(?:促进|推动|助推|助力|确保|为)/.test(clause)) {
          // a purpose clause belongs to the duty before it
          const merged = this.rangeItem(prev.span![0], ce);
          if (merged) this.other[this.other.length - 1] = prev = merged;
          continue;
        }
        const lead = /^(?:我们|全局上下|各单位|各科室)?(?:要|将|必须)/.exec(clause);
        const item = this.rangeItem(cs + (lead ? lead[0].length : 0), ce);
        if (item) {
          this.other.push(item);
          prev = item;
        }
      }
    }
  }

  /** A standalone 任务分解表: one task per row, or per 工作任务 group when a 具体内容 column carries the items. */
  private tableTasks(table: Table): OpenTask[] {
    const col = (name: string): number => table.columns.indexOf(name as never);
    const seq = col('seq');
    const taskCol = col('task');
    const contentCol = col('content');
    const cellText = (r: Range | null): string => (r ? this.text.slice(r[0], r[1]) : '');
    const tasks: OpenTask[] = [];
    for (const row of table.rows) {
      const first = row.cells.find((c) => c !== null)!;
      const last = [...row.cells].reverse().find((c) => c !== null)!;
      const span: Range = [first[0], last[1]];
      if (contentCol !== -1 && taskCol !== -1) {
        const taskCell = row.cells[taskCol];
        const prev = tasks[tasks.length - 1];
        if (!taskCell && prev) {
          const item = this.rowItem(table, row.cells, null);
          if (item) prev.task.items.push(item);
          prev.task.span = [prev.task.span![0], span[1]];
          continue;
        }
        const item = this.rowItem(table, row.cells, null);
        tasks.push({
          task: {
            numbering: seq !== -1 ? cellText(row.cells[seq]) || null : null,
            title: titleFromText(cellText(taskCell)),
            kind: 'task',
            span,
            items: item ? [item] : [],
          },
          parts: [],
        });
        continue;
      }
      const cell = row.cells[taskCol !== -1 ? taskCol : contentCol];
      if (!cell) continue;
      const items = splitClauses(this.text, cell[0], cell[1], '。；;')
        .map((r) => this.rowItem(table, row.cells, r))
        .filter((x): x is DraftItem => x !== null);
      tasks.push({
        task: {
          numbering: seq !== -1 ? cellText(row.cells[seq]) || null : null,
          title: titleFromText(cellText(cell)),
          kind: 'task',
          span,
          items,
        },
        parts: [],
      });
    }
    // Items are already built: closing such a task must not add any.
    return tasks;
  }

  /** An item from a table row: its text (`range`, or the row's 具体内容/工作任务 cell) with the row's units and 完成时限. */
  private rowItem(table: Table, cells: (Range | null)[], range: Range | null): DraftItem | null {
    const col = (name: string): Range | null => {
      const k = table.columns.indexOf(name as never);
      return k === -1 ? null : cells[k];
    };
    const textRange = range ?? col('content') ?? col('task');
    if (!textRange) return null;
    const item = this.rangeItem(textRange[0], textRange[1]);
    if (!item) return null;
    const cellText = (r: Range | null): string => (r ? this.text.slice(r[0], r[1]) : '');
    const dl = parseDeadline(cellText(col('deadline')), this.ctx.year);
    if (dl) item.deadline = dl;
    // The 完成时限 cell counts as the duty's own words for its kind: "2023年6月底前" makes "组织…培训不少于4期"
    // a deliverable, as "6月底前组织…" would; 长期 makes it continuous work.
    item.cadence = readCadence(`${cellText(col('deadline'))}，${item.text}`);
    const leads = unitNames(cellText(col('lead')));
    const cos = unitNames(cellText(col('co')));
    if (leads.length + cos.length > 0) {
      const names = [...new Set([...leads, ...cos])];
      item.units = names;
      item.unitIds = names.map((n) => this.ctx.units.find((u) => u.name === n)?.id ?? null);
      const leadIds = leads.map((n) => this.ctx.units.find((u) => u.name === n)?.id ?? null);
      item.leadUnitId = leadIds.find((id) => id !== null) ?? null;
      item.coUnitIds = [
        ...new Set(item.unitIds.filter((id): id is string => id !== null && id !== item.leadUnitId)),
      ];
    }
    return item;
  }

  /** An item of [start, end), trimmed of whitespace and of a trailing ；，：、 (a 。 stays: it ends the sentence). */
  private rangeItem(start: number, end: number): DraftItem | null {
    const [s, trimmedEnd] = trimRange(this.text, start, end);
    let e = trimmedEnd;
    while (e > s && /[；;，,：:、\s]/.test(this.text[e - 1])) e--;
    if (e <= s || /^[。！\s]*$/.test(this.text.slice(s, e))) return null;
    const text = this.text.slice(s, e);
    const phrases = analyseItem(text, this.ctx);
    const matched = phrases.unitIds.filter((id): id is string => id !== null);
    return {
      title: titleFromText(text),
      text,
      span: [s, e],
      ...phrases,
      leadUnitId: matched[0] ?? null,
      coUnitIds: [...new Set(matched.slice(1))].filter((id) => id !== matched[0]),
      responsibleLeaderId: null,
      ownerId: null,
    };
  }
}
