/**
 * A 任务分解表 pasted into the report text, either as tab-separated rows under a header row
 * (序号\t工作任务\t牵头单位\t责任单位\t完成时限) or as a Word table copied to plain text: one cell per line, the
 * header's cells first, then each row's cells. Columns are recognised by their usual names; cells keep their
 * exact offsets in the source.
 */
import { Para, Range, trimRange } from './outline';

export type Column = 'seq' | 'task' | 'content' | 'lead' | 'co' | 'deadline' | 'other';

const COLUMN_NAMES: [Column, RegExp][] = [
  ['seq', /^(序号|编号)$/],
  ['task', /^(工作任务|重点任务|主要任务|任务名称|具体任务|任务事项|工作事项|重点工作)$/],
  ['content', /^(具体内容|工作内容|主要内容|工作措施|具体措施|工作要求|目标要求|工作目标)$/],
  ['lead', /^(牵头单位|牵头部门|牵头科室|主责单位|责任领导单位)$/],
  ['co', /^(责任单位|配合单位|协办单位|责任部门|配合部门|参与单位)$/],
  ['deadline', /^(完成时限|完成时间|时间节点|完成期限|时限要求|完成时间节点)$/],
  ['other', /^(备注|责任领导|分管领导|责任人)$/],
];

function columnOf(name: string): Column | null {
  for (const [column, re] of COLUMN_NAMES) if (re.test(name)) return column;
  return null;
}

export interface TableRow {
  /** Per column of the table: the cell's trimmed range, or null when the row leaves it empty. */
  cells: (Range | null)[];
}

export interface Table {
  columns: Column[];
  rows: TableRow[];
  /** Paragraph indexes [first, last] the table takes (header included). */
  firstPara: number;
  lastPara: number;
}

function isHeader(columns: (Column | null)[]): columns is Column[] {
  return (
    columns.length >= 3 &&
    columns.every((c) => c !== null) &&
    (columns.includes('task') || columns.includes('content')) &&
    (columns.includes('lead') || columns.includes('co') || columns.includes('deadline'))
  );
}

/** The cells of one line split at tabs, with their trimmed ranges (null for an empty cell). */
function tabCells(source: string, p: Para): (Range | null)[] {
  const cells: (Range | null)[] = [];
  let from = p.start;
  for (;;) {
    const tab = source.indexOf('\t', from);
    const to = tab === -1 || tab >= p.end ? p.end : tab;
    const [s, e] = trimRange(source, from, to);
    cells.push(s < e ? [s, e] : null);
    if (to === p.end) break;
    from = to + 1;
  }
  return cells;
}

const SEQ = /^[0-9０-９]{1,3}[.、．]?$/;

/** A table starting at paragraph `i`, or null. */
export function tableAt(source: string, paras: Para[], i: number): Table | null {
  const first = source.slice(paras[i].start, paras[i].end);
  // Header on one line: cells split at tabs or spaces.
  const names = first.split(/[\t \u3000]+/).filter((s) => s !== '');
  const oneLine = names.map(columnOf);
  if (isHeader(oneLine)) {
    const columns = oneLine;
    if (i + 1 < paras.length && source.slice(paras[i + 1].start, paras[i + 1].end).includes('\t')) {
      return tabRows(source, paras, i, columns);
    }
    return lineRows(source, paras, i, i + 1, columns);
  }
  // Header as one cell per line.
  const columns: Column[] = [];
  let j = i;
  while (j < paras.length && columns.length < 8) {
    const c = columnOf(source.slice(paras[j].start, paras[j].end));
    if (c === null) break;
    columns.push(c);
    j++;
  }
  if (!isHeader(columns)) return null;
  return lineRows(source, paras, i, j, columns);
}

function tabRows(source: string, paras: Para[], header: number, columns: Column[]): Table {
  const rows: TableRow[] = [];
  let j = header + 1;
  while (j < paras.length && source.slice(paras[j].start, paras[j].end).includes('\t')) {
    const cells = tabCells(source, paras[j]);
    rows.push({ cells: columns.map((_, k) => cells[k] ?? null) });
    j++;
  }
  return { columns, rows, firstPara: header, lastPara: j - 1 };
}

/**
 * Rows of one cell per line. With a 序号 column a row starts at the line holding the next number and takes the
 * lines up to the next one (an empty cell simply has no line: the remaining cells fill the columns in order, a
 * last cell that reads as a date goes to 完成时限). Without 序号, rows are runs of as many lines as there are
 * columns. The table ends at a line that is not a row's cell (a heading, a paragraph, a number out of sequence).
 */
function lineRows(
  source: string,
  paras: Para[],
  header: number,
  firstCell: number,
  columns: Column[],
): Table {
  const rows: TableRow[] = [];
  const text = (j: number): string => source.slice(paras[j].start, paras[j].end);
  const seqCol = columns.indexOf('seq');
  let j = firstCell;
  if (seqCol === 0) {
    let expected = 1;
    while (j < paras.length && SEQ.test(text(j)) && parseInt(toAscii(text(j)), 10) === expected) {
      let k = j + 1;
      while (
        k < paras.length &&
        k - j < columns.length &&
        !(SEQ.test(text(k)) && parseInt(toAscii(text(k)), 10) === expected + 1)
      ) {
        if (/^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]/.test(text(k))) break;
        k++;
      }
      rows.push({ cells: fill(source, columns, paras.slice(j, k)) });
      j = k;
      expected++;
    }
  } else {
    while (j + columns.length <= paras.length) {
      const group = paras.slice(j, j + columns.length);
      if (
        group.some((p) =>
          /^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]/.test(source.slice(p.start, p.end)),
        )
      )
        break;
      rows.push({ cells: fill(source, columns, group) });
      j += columns.length;
    }
  }
  return { columns, rows, firstPara: header, lastPara: j - 1 };
}

function fill(source: string, columns: Column[], cells: Para[]): (Range | null)[] {
  const out: (Range | null)[] = columns.map(() => null);
  if (cells.length === columns.length) {
    cells.forEach((p, k) => (out[k] = [p.start, p.end]));
    return out;
  }
  // Fewer lines than columns: an empty cell. A trailing date-like cell is the deadline; the rest fill in order.
  const rest = [...cells];
  const dl = columns.indexOf('deadline');
  const last = rest[rest.length - 1];
  if (dl !== -1 && last && DATE_LIKE.test(source.slice(last.start, last.end))) {
    out[dl] = [last.start, last.end];
    rest.pop();
  }
  let k = 0;
  for (const p of rest) {
    while (k < columns.length && (out[k] !== null || k === dl)) k++;
    if (k >= columns.length) break;
    out[k++] = [p.start, p.end];
  }
  return out;
}

const DATE_LIKE = /(年|月|日|季度|半年|年底|年内|全年|长期|持续|\d{4}[-/.]\d{1,2})/;

function toAscii(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Unit names in a 牵头单位/责任单位 cell ("市容科、各街道", "市住建局，市公安局"), in order. */
export function unitNames(cell: string): string[] {
  return cell
    .split(/[、，,；;/／\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
