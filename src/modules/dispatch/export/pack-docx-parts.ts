import {
  AlignmentType,
  ImageRun,
  LineRuleType,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';

import { DOCX_LIST_CAP, FILL_ARGB } from './pack-format';

/**
 * Fonts by the names Word knows on every Chinese Windows (仿宋, 黑体, 宋体); Word substitutes its own
 * choice where one is missing. 仿宋_GB2312 is the 公文 standard but Windows 10 and later no longer ship it.
 */
export const FONT = {
  body: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'FangSong', cs: 'Times New Roman' },
  heading: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'SimHei', cs: 'Times New Roman' },
  title: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'SimSun', cs: 'Times New Roman' },
  table: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'SimSun', cs: 'Times New Roman' },
} as const;

/** Half-points: 二号 22pt, 三号 16pt, 五号 10.5pt. */
export const SIZE = { title: 44, body: 32, table: 21, caption: 24 } as const;

/** A4 with 2.54 cm top/bottom and 2.2 cm side margins, in twips. */
export const PAGE = { width: 11906, height: 16838, marginY: 1440, marginX: 1247 } as const;
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.marginX;
/** Chart images at 96 dpi: about the text width, at the charts' 2:1 aspect. */
export const CHART_SIZE = { width: 600, height: 300 } as const;

// 公文 body: fixed 28 pt lines, first line indented two characters.
const BODY_LINE = 560;
const TWO_CHARS = 640;

/** A title of one or more lines, broken where given (a long one wrapped leaves a lone character). */
export function title(...lines: string[]): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after: 120 },
    children: lines.map(
      (text, i) =>
        new TextRun({ text, bold: true, size: SIZE.title, font: FONT.title, break: i > 0 ? 1 : undefined }),
    ),
  });
}

export function centred(text: string, after = 0): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after },
    children: [new TextRun({ text, size: SIZE.body, font: FONT.body })],
  });
}

/** 一、二、… section headings in 黑体. */
export function heading(text: string): Paragraph {
  return new Paragraph({
    spacing: { before: 240, after: 120, line: BODY_LINE, lineRule: LineRuleType.EXACT },
    indent: { firstLine: TWO_CHARS },
    keepNext: true,
    children: [new TextRun({ text, size: SIZE.body, font: FONT.heading })],
  });
}

export function body(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT },
    indent: { firstLine: TWO_CHARS },
    children: [new TextRun({ text, size: SIZE.body, font: FONT.body })],
  });
}

/** A small note under a table (the cap line, sources). */
export function note(text: string): Paragraph {
  return new Paragraph({
    spacing: { before: 60, after: 120 },
    children: [new TextRun({ text, size: SIZE.caption, font: FONT.body })],
  });
}

export function chart(data: Buffer, name: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 120 },
    children: [
      new ImageRun({
        type: 'png',
        data,
        transformation: CHART_SIZE,
        altText: { name, description: name, title: name },
      }),
    ],
  });
}

export type Align = 'left' | 'center';
/** A table cell: text, optionally with a light fill ('red' | 'yellow' | 'green'). */
export type Cell = string | { text: string; fill?: string | null };

export interface ColumnDef {
  header: string;
  /** Share of the text width; the shares of a table add up to 1. */
  share: number;
  align?: Align;
}

function cellParagraph(text: string, align: Align, bold = false): Paragraph {
  return new Paragraph({
    alignment: align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
    children: [new TextRun({ text, bold, size: SIZE.table, font: FONT.table })],
  });
}

const HEADER_FILL = 'D9E1F2';

/** A bordered table whose header repeats on every page; widths are fixed so Word does not re-flow them. */
export function table(columns: ColumnDef[], rows: Cell[][]): Table {
  const widths = columns.map((c) => Math.round(c.share * TEXT_WIDTH));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map(
      (c, i) =>
        new TableCell({
          width: { size: widths[i], type: WidthType.DXA },
          verticalAlign: VerticalAlignTable.CENTER,
          shading: { fill: HEADER_FILL, type: ShadingType.CLEAR, color: 'auto' },
          children: [cellParagraph(c.header, 'center', true)],
        }),
    ),
  });
  const body = rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children: row.map((cell, i) => {
          const { text, fill } = typeof cell === 'string' ? { text: cell, fill: null } : cell;
          const argb = fill ? FILL_ARGB[fill] : undefined;
          return new TableCell({
            width: { size: widths[i], type: WidthType.DXA },
            verticalAlign: VerticalAlignTable.CENTER,
            shading: argb ? { fill: argb.slice(2), type: ShadingType.CLEAR, color: 'auto' } : undefined,
            children: [cellParagraph(text, columns[i].align ?? 'left')],
          });
        }),
      }),
  );
  return new Table({
    rows: [header, ...body],
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
  });
}

/**
 * A list as a table cut at DOCX_LIST_CAP rows, with the 其余 N 项见 Excel 台账 line when cut: a
 * circulated document does not list tens of thousands of rows. Tail rows (a 合计 row) are never cut.
 */
export function cappedTable<T>(
  columns: ColumnDef[],
  items: readonly T[],
  toRow: (item: T, index: number) => Cell[],
  tail: Cell[][] = [],
): (Paragraph | Table)[] {
  const shown = items.slice(0, DOCX_LIST_CAP);
  const parts: (Paragraph | Table)[] = [table(columns, [...shown.map(toRow), ...tail])];
  if (items.length > shown.length) parts.push(note(`其余 ${items.length - shown.length} 项见 Excel 台账。`));
  return parts;
}
