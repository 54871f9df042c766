import { PassThrough } from 'node:stream';

import { stream, type Style, type Worksheet } from 'exceljs';

import type { DispatchPackDto } from '../dto/dispatch-pack.dto';
import { packSheets, type SheetSpec } from './pack-xlsx-sheets';

/**
 * The meeting pack as an Excel ledger (台账), one sheet per part, every row of every list.
 *
 * Conventions, the same on every sheet:
 * - percentages (完成率, 序时进度, 得分) are numbers in percent units, exactly as in the JSON (67.5 means
 *   67.5%), shown with numFmt '0.00' because the roll-up keeps two decimals; headers say （%）;
 * - 逾期工作日, counts and ranks are integers;
 * - dates are ISO 'YYYY-MM-DD' text: they are calendar days in Asia/Shanghai, and Excel date serials
 *   would invite a time-zone shift on the way in and out.
 *
 * Written with exceljs' streaming writer, so rows go to the zip as they are committed and memory stays
 * flat however long the lists are.
 */

// Rows between progress reports and event-loop yields: a 70,000-row pack must not stall a worker's
// lock renewals for the seconds it takes.
const YIELD_EVERY = 2000;

const HEADER_STYLE: Partial<Style> = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
};

/**
 * Shared style objects, one per (numFmt, fill, wrap): exceljs' style registry recognises a style it
 * has seen by object identity, so sharing keeps the per-cell cost to a map lookup.
 */
class StyleCache {
  private readonly styles = new Map<string, Partial<Style>>();

  get(numFmt: string | undefined, fillArgb: string | null, wrap: boolean): Partial<Style> {
    const key = `${numFmt ?? ''}|${fillArgb ?? ''}|${wrap ? 1 : 0}`;
    let style = this.styles.get(key);
    if (!style) {
      style = {};
      if (numFmt) style.numFmt = numFmt;
      if (fillArgb) style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fillArgb } };
      style.alignment = { vertical: 'top', wrapText: wrap };
      this.styles.set(key, style);
    }
    return style;
  }
}

class Progress {
  private done = 0;
  private last = -1;

  constructor(
    private readonly total: number,
    private readonly report?: (percent: number) => void,
  ) {}

  /** Counts a row; every YIELD_EVERY rows reports and lets the event loop run. */
  async row(): Promise<void> {
    this.done++;
    if (this.done % YIELD_EVERY !== 0) return;
    // Up to 99 while writing: the zip is only complete after the final commit.
    this.emit(Math.min(99, Math.floor((this.done / this.total) * 100)));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  emit(percent: number): void {
    if (percent <= this.last) return;
    this.last = percent;
    this.report?.(percent);
  }
}

async function writeSheet<T>(
  ws: Worksheet,
  spec: SheetSpec<T>,
  styles: StyleCache,
  progress: Progress,
): Promise<void> {
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  const header = ws.addRow(spec.columns.map((c) => c.header));
  header.eachCell((cell) => (cell.style = HEADER_STYLE));
  header.commit();
  let index = 0;
  for (const item of spec.rows) {
    const i = index++;
    const row = ws.addRow(spec.columns.map((c) => c.value(item, i)));
    spec.columns.forEach((c, col) => {
      const numFmt = typeof c.numFmt === 'function' ? c.numFmt(item) : c.numFmt;
      row.getCell(col + 1).style = styles.get(numFmt, c.fill?.(item) ?? null, c.wrap ?? false);
    });
    row.commit();
    await progress.row();
  }
  ws.commit();
}

/** Renders the pack as .xlsx; onProgress gets whole percentages, rising, ending with 100. */
export async function renderPackXlsx(
  pack: DispatchPackDto,
  onProgress?: (percent: number) => void,
): Promise<Buffer> {
  const sheets = packSheets(pack);
  const progress = new Progress(
    sheets.reduce((n, s) => n + s.rowCount, 0),
    onProgress,
  );
  progress.emit(0);

  const out = new PassThrough();
  const chunks: Buffer[] = [];
  // Drain as we go, or the zip stream would stop at the PassThrough's high-water mark.
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });

  const workbook = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  workbook.creator = pack.plan.organization;
  workbook.created = new Date();
  const styles = new StyleCache();
  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name, {
      views: spec.freezeHeader ? [{ state: 'frozen', xSplit: 0, ySplit: 1 }] : [],
    });
    await writeSheet(ws, spec as SheetSpec<unknown>, styles, progress);
  }
  await workbook.commit();
  await ended;
  progress.emit(100);
  return Buffer.concat(chunks);
}
