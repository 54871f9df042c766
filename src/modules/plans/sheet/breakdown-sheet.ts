/**
 * The bureau's standard breakdown sheet (任务分解表) as .xlsx: write a plan out, read such a sheet back.
 *
 * Pure module (exceljs only, no Nest, no database). The writer normalises every text it writes (trimmed, empty
 * → blank cell), and the reader trims every cell, so export → import → export yields the same cell values.
 *
 * Layout written by {@link writeBreakdownSheet} (one worksheet named 任务分解表):
 *  - row 1: title merged across A..K;
 *  - row 2: header ({@link SHEET_COLUMNS}), frozen;
 *  - per section: a section row (A = numbering, B..K merged = title), then one row per item
 *    (序号 = running number across the sheet, 重点任务 = task numbering + title). A task without items gets one
 *    row with only 序号 and 重点任务 filled.
 */
import { Workbook, type Borders, type Cell, type CellValue, type Worksheet, type Xlsx } from 'exceljs';

export const SHEET_COLUMNS = [
  '序号',
  '重点任务',
  '具体事项',
  '牵头单位',
  '配合单位',
  '责任领导',
  '责任人',
  '完成时限',
  '工作频次',
  '量化指标',
  '状态',
] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number];

export const SHEET_NAME = '任务分解表';

export interface SheetItem {
  /** 具体事项 (verbatim duty text). */
  detail: string;
  /** 牵头单位: unit name. */
  leadUnit: string;
  /** 配合单位: unit names, joined in the cell with '、'. */
  coUnits: string[];
  /** 责任领导: person name. */
  responsibleLeader: string;
  /** 责任人: person name or null (blank cell). */
  owner: string | null;
  /** 完成时限 as 'YYYY-MM-DD' (written as a text cell). */
  deadline: string;
  /** 工作频次: Chinese label, e.g. 每月 / 常态化. */
  cadence: string;
  /** 量化指标: already formatted text, '；'-separated, may be ''. */
  targets: string;
  /** 状态: Chinese label, e.g. 推进中. */
  status: string;
}

export interface SheetTask {
  /** e.g. '（一）'. */
  numbering: string | null;
  title: string;
  items: SheetItem[];
}

export interface SheetSection {
  /** e.g. '一、'. */
  numbering: string | null;
  title: string;
  tasks: SheetTask[];
}

export interface SheetPlan {
  title: string;
  year: number;
  sections: SheetSection[];
}

export type RawRow =
  | { kind: 'section'; row: number; numbering: string | null; title: string }
  | { kind: 'item'; row: number; cells: Record<SheetColumn, string> };

/** `column` is the header name, or null when the problem concerns the whole row / file. */
export interface SheetProblem {
  row: number;
  column: string | null;
  message: string;
}

export interface BreakdownSheetContent {
  title: string | null;
  rows: RawRow[];
  problems: SheetProblem[];
}

/** Separator of 配合单位 names inside one cell. */
export const CO_UNIT_SEPARATOR = '、';

/** Suffix of the title row. */
export const TITLE_SUFFIX = '任务分解表';

/** Section numbering as it appears in 序号: 一、 二、 … 十一、 */
export const SECTION_NUMBERING = /^[一二三四五六七八九十]+、$/;

/** Task numbering at the start of a 重点任务 cell: （一） (full- or half-width parentheses). */
const TASK_NUMBERING_PREFIX = /^[（(][一二三四五六七八九十百]+[）)]/;

const MESSAGES = {
  invalidFile: '文件不是有效的 Excel（.xlsx）文件',
  noWorksheet: '文件中没有工作表',
  noHeader: '找不到表头：第一行至第十行中没有包含“序号、重点任务、具体事项……”的表头行',
  errorValue: (error: string) => `单元格是错误值（${error}），已按空白处理`,
};

/** How many rows from the top are searched for the header row. */
const HEADER_SEARCH_ROWS = 10;

const COLUMN_WIDTHS: Record<SheetColumn, number> = {
  序号: 6,
  重点任务: 24,
  具体事项: 60,
  牵头单位: 18,
  配合单位: 20,
  责任领导: 12,
  责任人: 12,
  完成时限: 12,
  工作频次: 10,
  量化指标: 30,
  状态: 10,
};

/** Columns whose text is long: wrapped, top-left aligned. Others are centered. */
const LONG_TEXT_COLUMNS: ReadonlySet<SheetColumn> = new Set<SheetColumn>([
  '重点任务',
  '具体事项',
  '牵头单位',
  '配合单位',
  '量化指标',
]);

const THIN_BORDER: Partial<Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEADER_FILL = 'FFD9D9D9';
const SECTION_FILL = 'FFF2F2F2';
const FONT_NAME = '宋体';

// ---------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------

/** The text of row 1: plan.title + 任务分解表, unless the title already ends with it. */
export function sheetTitle(planTitle: string): string {
  const title = planTitle.trim();
  return title.endsWith(TITLE_SUFFIX) ? title : `${title}${TITLE_SUFFIX}`;
}

/** 重点任务 cell text: numbering + title, or just the title. */
export function taskLabel(task: Pick<SheetTask, 'numbering' | 'title'>): string {
  return `${clean(task.numbering)}${clean(task.title)}`;
}

/**
 * Inverse of {@link taskLabel} for callers rebuilding tasks from item rows: splits a leading （一） off the
 * 重点任务 text. `numbering` is returned exactly as written (no parenthesis normalisation).
 */
export function splitTaskLabel(label: string): { numbering: string | null; title: string } {
  const text = label.trim();
  const match = TASK_NUMBERING_PREFIX.exec(text);
  if (!match) return { numbering: null, title: text };
  return { numbering: match[0], title: text.slice(match[0].length).trim() };
}

/** Item → cell texts of the item columns (everything except 序号 and 重点任务). */
function itemCells(item: SheetItem): Omit<Record<SheetColumn, string>, '序号' | '重点任务'> {
  return {
    具体事项: clean(item.detail),
    牵头单位: clean(item.leadUnit),
    配合单位: item.coUnits
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .join(CO_UNIT_SEPARATOR),
    责任领导: clean(item.responsibleLeader),
    责任人: clean(item.owner),
    完成时限: clean(item.deadline),
    工作频次: clean(item.cadence),
    量化指标: clean(item.targets),
    状态: clean(item.status),
  };
}

const EMPTY_ITEM: SheetItem = {
  detail: '',
  leadUnit: '',
  coUnits: [],
  responsibleLeader: '',
  owner: null,
  deadline: '',
  cadence: '',
  targets: '',
  status: '',
};

export async function writeBreakdownSheet(plan: SheetPlan): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'duban';
  workbook.title = sheetTitle(plan.title);
  const sheet = workbook.addWorksheet(SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:2',
    },
  });
  const columnCount = SHEET_COLUMNS.length;
  sheet.columns = SHEET_COLUMNS.map((name) => ({ key: name, width: COLUMN_WIDTHS[name] }));

  // Row 1: title.
  const titleRow = sheet.getRow(1);
  titleRow.height = 32;
  const titleCell = titleRow.getCell(1);
  titleCell.value = sheetTitle(plan.title);
  titleCell.font = { name: FONT_NAME, size: 18, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.mergeCells(1, 1, 1, columnCount);

  // Row 2: header.
  const headerRow = sheet.getRow(2);
  headerRow.height = 22;
  SHEET_COLUMNS.forEach((name, index) => {
    const cell = headerRow.getCell(index + 1);
    cell.value = name;
    cell.font = { name: FONT_NAME, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = THIN_BORDER;
  });

  let rowNumber = 3;
  let itemNumber = 0;
  for (const section of plan.sections) {
    writeSectionRow(sheet, rowNumber++, section);
    for (const task of section.tasks) {
      const items = task.items.length > 0 ? task.items : [null];
      for (const item of items) {
        itemNumber += 1;
        writeItemRow(sheet, rowNumber++, itemNumber, taskLabel(task), item);
      }
    }
  }

  const out = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}

function writeSectionRow(sheet: Worksheet, rowNumber: number, section: SheetSection): void {
  const row = sheet.getRow(rowNumber);
  row.height = 22;
  const numbering = clean(section.numbering);
  row.getCell(1).value = numbering === '' ? null : numbering;
  row.getCell(2).value = emptyToNull(clean(section.title));
  for (let col = 1; col <= SHEET_COLUMNS.length; col += 1) {
    const cell = row.getCell(col);
    cell.font = { name: FONT_NAME, size: 11, bold: true };
    cell.alignment = { horizontal: col === 1 ? 'center' : 'left', vertical: 'middle' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: SECTION_FILL } };
    cell.border = THIN_BORDER;
  }
  sheet.mergeCells(rowNumber, 2, rowNumber, SHEET_COLUMNS.length);
}

function writeItemRow(
  sheet: Worksheet,
  rowNumber: number,
  itemNumber: number,
  label: string,
  item: SheetItem | null,
): void {
  const values: Record<SheetColumn, string | number | null> = {
    序号: itemNumber,
    重点任务: emptyToNull(label),
    ...mapValues(itemCells(item ?? EMPTY_ITEM), emptyToNull),
  };
  const row = sheet.getRow(rowNumber);
  SHEET_COLUMNS.forEach((name, index) => {
    const cell = row.getCell(index + 1);
    cell.value = values[name];
    cell.font = { name: FONT_NAME, size: 11 };
    cell.border = THIN_BORDER;
    cell.alignment = LONG_TEXT_COLUMNS.has(name)
      ? { horizontal: 'left', vertical: 'top', wrapText: true }
      : { horizontal: 'center', vertical: 'top', wrapText: true };
    // Keep 完成时限 a text cell, also when someone retypes it in Excel.
    if (name === '完成时限') cell.numFmt = '@';
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

type XlsxInput = Parameters<Xlsx['load']>[0];

export async function readBreakdownSheet(file: Buffer): Promise<BreakdownSheetContent> {
  const workbook = new Workbook();
  try {
    // exceljs declares its own ArrayBuffer-like `Buffer`; at runtime it takes a Node Buffer.
    await workbook.xlsx.load(file as unknown as XlsxInput);
  } catch {
    return { title: null, rows: [], problems: [{ row: 0, column: null, message: MESSAGES.invalidFile }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) {
    return { title: null, rows: [], problems: [{ row: 0, column: null, message: MESSAGES.noWorksheet }] };
  }

  const header = findHeader(sheet);
  if (!header) {
    return { title: null, rows: [], problems: [{ row: 1, column: null, message: MESSAGES.noHeader }] };
  }

  const problems: SheetProblem[] = [];
  const rows: RawRow[] = [];
  for (let rowNumber = header.row + 1; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const raw = readRow(sheet, rowNumber, header.columns, problems);
    if (raw) rows.push(raw);
  }
  return { title: findTitle(sheet, header.row), rows, problems };
}

interface Header {
  row: number;
  /** 1-based sheet column of every SHEET_COLUMNS name. */
  columns: Record<SheetColumn, number>;
}

/** Header text with all whitespace removed, so '完成\n时限' and ' 序 号 ' still match. */
function headerKey(text: string): string {
  return text.replace(/[\s\u3000]+/g, '');
}

function findHeader(sheet: Worksheet): Header | null {
  const wanted = new Set<string>(SHEET_COLUMNS);
  const last = Math.min(HEADER_SEARCH_ROWS, sheet.rowCount);
  for (let rowNumber = 1; rowNumber <= last; rowNumber += 1) {
    const found = new Map<string, number>();
    const row = sheet.getRow(rowNumber);
    // Merged cells included: a two-line header merges 序号 etc. vertically into the row that names them all.
    for (let col = 1; col <= sheet.columnCount; col += 1) {
      const key = headerKey(valueText(row.getCell(col).value).text);
      if (wanted.has(key) && !found.has(key)) found.set(key, col);
    }
    if (found.size === wanted.size) {
      const columns = Object.fromEntries(SHEET_COLUMNS.map((name) => [name, found.get(name) ?? 0]));
      return { row: rowNumber, columns: columns as Record<SheetColumn, number> };
    }
  }
  return null;
}

/** First non-empty text above the header, preferring a merged (title) cell. */
function findTitle(sheet: Worksheet, headerRow: number): string | null {
  let firstText: string | null = null;
  for (let rowNumber = 1; rowNumber < headerRow; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    for (let col = 1; col <= sheet.columnCount; col += 1) {
      const cell = row.getCell(col);
      if (cell.isMerged && cell.master.address !== cell.address) continue;
      const text = valueText(cell.value).text;
      if (text === '') continue;
      if (cell.isMerged) return text;
      firstText ??= text;
    }
  }
  return firstText;
}

/**
 * Text of a cell as seen in the table:
 *  - a cell merged into a master in another column (horizontal merge) is blank — the text belongs to the master;
 *  - a cell merged into a master in the same column (vertical merge, e.g. 重点任务 spanning several item rows)
 *    repeats the master's text, so every item row carries it.
 */
function tableCellText(cell: Cell): { text: string; error: string | null } {
  if (cell.isMerged && cell.master.address !== cell.address && cell.master.col !== cell.col) {
    return { text: '', error: null };
  }
  return valueText(cell.isMerged ? cell.master.value : cell.value);
}

/** Number of sheet columns a horizontally merged master spans (1 when not merged). */
function mergeWidth(sheet: Worksheet, cell: Cell): number {
  if (!cell.isMerged || cell.master.address !== cell.address) return 1;
  const row = sheet.getRow(Number(cell.row));
  let width = 1;
  for (let col = Number(cell.col) + 1; col <= sheet.columnCount; col += 1) {
    const next = row.getCell(col);
    if (!next.isMerged || next.master.address !== cell.address) break;
    width += 1;
  }
  return width;
}

function readRow(
  sheet: Worksheet,
  rowNumber: number,
  columns: Record<SheetColumn, number>,
  problems: SheetProblem[],
): RawRow | null {
  const row = sheet.getRow(rowNumber);
  const cells = {} as Record<SheetColumn, string>;
  for (const name of SHEET_COLUMNS) {
    const { text, error } = tableCellText(row.getCell(columns[name]));
    cells[name] = text;
    if (error) problems.push({ row: rowNumber, column: name, message: MESSAGES.errorValue(error) });
  }
  const filled = SHEET_COLUMNS.filter((name) => cells[name] !== '');
  if (filled.length === 0) return null;

  // Columns other than 序号, in sheet order: the title is the first non-empty one.
  const others = SHEET_COLUMNS.filter((name) => name !== '序号').sort((a, b) => columns[a] - columns[b]);
  const numbering = cells['序号'];

  // (1) 序号 holds a Chinese section numbering: 一、
  if (SECTION_NUMBERING.test(numbering)) {
    const titleColumn = others.find((name) => cells[name] !== '');
    return { kind: 'section', row: rowNumber, numbering, title: titleColumn ? cells[titleColumn] : '' };
  }

  // (2) One horizontally merged cell covering the 重点任务 column carries the title (besides an optional,
  //     non-numeric 序号): the writer's layout for sections with an unusual or missing numbering, and the usual
  //     hand-made "whole row merged" section line.
  const taskColumn = columns['重点任务'];
  const masters = new Map<string, Cell>();
  for (const name of others) {
    if (cells[name] === '') continue;
    const cell = row.getCell(columns[name]);
    masters.set(cell.master.address, cell.master);
  }
  if (masters.size === 1 && !/^\d+(\.\d+)?$/.test(numbering)) {
    const [master] = [...masters.values()];
    const from = Number(master.col);
    const to = from + mergeWidth(sheet, master) - 1;
    if (Number(master.row) === rowNumber && to > from && from <= taskColumn && taskColumn <= to) {
      const title = valueText(master.value).text;
      return { kind: 'section', row: rowNumber, numbering: numbering === '' ? null : numbering, title };
    }
  }
  // (2b) The whole row merged from the 序号 column: '一、市容提质' in one cell.
  if (filled.length === 1 && filled[0] === '序号') {
    const cell = row.getCell(columns['序号']);
    const from = Number(cell.master.col);
    const to = from + mergeWidth(sheet, cell.master) - 1;
    if (Number(cell.master.row) === rowNumber && to > from && from <= taskColumn && taskColumn <= to) {
      const match = /^[一二三四五六七八九十]+、/.exec(numbering);
      return match
        ? {
            kind: 'section',
            row: rowNumber,
            numbering: match[0],
            title: numbering.slice(match[0].length).trim(),
          }
        : { kind: 'section', row: rowNumber, numbering: null, title: numbering };
    }
  }

  return { kind: 'item', row: rowNumber, cells };
}

// ---------------------------------------------------------------------------------------------------------
// Cell values
// ---------------------------------------------------------------------------------------------------------

/** Trimmed text of an exceljs cell value, plus the Excel error code when the cell holds one. */
function valueText(value: CellValue): { text: string; error: string | null } {
  if (value === null || value === undefined) return { text: '', error: null };
  if (typeof value === 'string') return { text: value.trim(), error: null };
  if (typeof value === 'number') return { text: numberText(value), error: null };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', error: null };
  if (value instanceof Date) return { text: dateText(value), error: null };
  if ('richText' in value)
    return {
      text: value.richText
        .map((part) => part.text)
        .join('')
        .trim(),
      error: null,
    };
  if ('error' in value) return { text: '', error: value.error };
  if ('formula' in value || 'sharedFormula' in value) {
    return value.result === undefined ? { text: '', error: null } : valueText(value.result);
  }
  if ('hyperlink' in value) {
    // At runtime the text of a hyperlink may itself be rich text.
    const text: unknown = value.text;
    return typeof text === 'string' ? valueText(text) : valueText(text as CellValue);
  }
  return { text: '', error: null };
}

/** Numbers as Excel shows them: no trailing .0, no binary noise (0.1 + 0.2 → 0.3). */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  return String(Number(value.toPrecision(15)));
}

/** exceljs hands dates back as UTC instants of the sheet's local date. */
function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  const y = String(value.getUTCFullYear()).padStart(4, '0');
  const m = String(value.getUTCMonth() + 1).padStart(2, '0');
  const d = String(value.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function clean(text: string | null | undefined): string {
  return (text ?? '').trim();
}

function emptyToNull(text: string): string | null {
  return text === '' ? null : text;
}

function mapValues<K extends string, A, B>(record: Record<K, A>, fn: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries<A>(record).map(([key, value]) => [key, fn(value)])) as Record<
    K,
    B
  >;
}
