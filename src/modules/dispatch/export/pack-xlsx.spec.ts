import { Workbook, type Cell, type Worksheet, type Xlsx } from 'exceljs';

import type { DispatchPackDto } from '../dto/dispatch-pack.dto';
import { largePack, samplePack } from './fixtures';
import { HIDDEN } from './pack-format';
import { packSummaryProse } from './pack-prose';
import { renderPackXlsx } from './pack-xlsx';

type XlsxInput = Parameters<Xlsx['load']>[0];

const SHEETS = [
  '汇总',
  '逾期事项',
  '风险事项',
  '报送情况',
  '单位排名',
  '各部分进展',
  '近期销号',
  '上次会议交办',
  '趋势',
];
const RED = 'FFF4CCCC';
const YELLOW = 'FFFFF2CC';
const GREEN = 'FFD9EAD3';

async function load(pack: DispatchPackDto): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load((await renderPackXlsx(pack)) as unknown as XlsxInput);
  return workbook;
}

function sheet(wb: Workbook, name: string): Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Data rows as header → cell maps. */
function rows(ws: Worksheet): Map<string, Cell>[] {
  const headers = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const out: Map<string, Cell>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    out.push(new Map(headers.slice(1).map((h, i) => [h, row.getCell(i + 1)])));
  }
  return out;
}

const cell = (row: Map<string, Cell>, header: string): Cell => {
  const c = row.get(header);
  if (!c) throw new Error(`no column ${header}`);
  return c;
};
const fillOf = (c: Cell): string | undefined =>
  c.fill && c.fill.type === 'pattern' ? c.fill.fgColor?.argb : undefined;

describe('renderPackXlsx', () => {
  const pack = samplePack();
  let wb: Workbook;

  beforeAll(async () => {
    wb = await load(pack);
  });

  it('has one sheet per part, each with a bold, frozen header row', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(SHEETS);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.getColumn(1).width).toBeGreaterThan(5);
    }
  });

  it('writes the summary figures as numbers equal to the JSON, and the prose', () => {
    const byLabel = new Map<string, Cell>();
    sheet(wb, '汇总').eachRow((row, n) => {
      if (n > 1) byLabel.set(String(row.getCell(1).value), row.getCell(2));
    });
    const s = pack.summary;
    const expected: [string, number | null][] = [
      ['计入事项（项）', s.items],
      ['已销号（项）', s.closed],
      ['其中按期销号（项）', s.closedOnTime],
      ['逾期未销号（项）', s.overdue],
      ['有风险（项）', s.atRisk],
      ['计划完成率（%）', s.completion],
      ['序时进度（%）', s.expected],
      ['本周期缺报（项）', s.reportsMissing],
      ['本周期迟报（项）', s.reportsLate],
      ['本周期应报（项）', 50],
      ['已发督办单（通报）（项）', s.noticed],
      ['上次调度会以来销号（项）', pack.closedSince.total],
    ];
    for (const [label, value] of expected) expect([label, byLabel.get(label)?.value]).toEqual([label, value]);
    expect(byLabel.get('计划完成率（%）')?.numFmt).toBe('0.00');
    expect(byLabel.get('统计截至')?.value).toBe('2022-06-30');
    expect(byLabel.get('情况说明')?.value).toBe(packSummaryProse(pack));
  });

  it('lists every overdue item with numeric 逾期工作日, the escalation in Chinese and the 通报 / 上次遗留 marks', () => {
    const data = rows(sheet(wb, '逾期事项'));
    expect(data).toHaveLength(pack.overdue.length);
    data.forEach((row, i) => {
      const o = pack.overdue[i];
      const days = cell(row, '逾期工作日');
      expect(days.type).toBe(2); // ValueType.Number
      expect(days.value).toBe(o.overdueWorkdays);
      expect(cell(row, '牵头单位').value).toBe(o.leadUnit);
      expect(cell(row, '完成时限').value).toBe(o.deadline);
      expect(cell(row, '督办层级').value).toBe(
        { none: '—', remind: '提醒', urge: '催办', supervise: '督办' }[o.escalation],
      );
      const noticed = pack.notice.includes(o.itemId);
      expect(cell(row, '通报').value ?? '').toBe(noticed ? '是' : '');
      expect(fillOf(cell(row, '通报'))).toBe(noticed ? RED : undefined);
      expect(cell(row, '上次遗留').value ?? '').toBe(o.carriedForward ? '是' : '');
    });
  });

  it('shows the lead unit and numbers of hidden items but no title or people', async () => {
    const leaky = samplePack();
    // Even if the service sent details of a hidden item, the ledger must not print them.
    Object.assign(leaky.overdue[2], { title: '不应出现的标题', owner: '不应出现的人' });
    Object.assign(leaky.atRisk[1], { title: '不应出现的标题' });
    const book = await load(leaky);
    const hiddenRow = rows(sheet(book, '逾期事项'))[2];
    expect(cell(hiddenRow, '事项名称').value).toBe(HIDDEN);
    expect(cell(hiddenRow, '牵头单位').value).toBe(leaky.overdue[2].leadUnit);
    expect(cell(hiddenRow, '逾期工作日').value).toBe(leaky.overdue[2].overdueWorkdays);
    expect(cell(hiddenRow, '责任人').value ?? '').toBe('');
    expect(cell(rows(sheet(book, '风险事项'))[1], '事项名称').value).toBe(HIDDEN);
    expect(cell(rows(sheet(book, '近期销号'))[1], '事项名称').value).toBe(HIDDEN);
    expect(cell(rows(sheet(book, '上次会议交办'))[2], '关联事项').value).toBe(HIDDEN);
    book.eachSheet((ws) =>
      ws.eachRow((row) => row.eachCell((c) => expect(String(c.value)).not.toMatch(/不应出现/))),
    );
  });

  it('fills light and band cells red, yellow or green', () => {
    const risk = rows(sheet(wb, '风险事项'));
    risk.forEach((row, i) => {
      expect(fillOf(cell(row, '灯色'))).toBe(pack.atRisk[i].light === 'red' ? RED : YELLOW);
      expect(cell(row, '完成率（%）').value).toBe(pack.atRisk[i].completion);
    });
    const sections = rows(sheet(wb, '各部分进展'));
    const sectionFill = { red: RED, yellow: YELLOW, green: GREEN } as Record<string, string>;
    sections.forEach((row, i) => {
      const s = pack.sections[i];
      expect(fillOf(cell(row, '灯色'))).toBe(s.light ? sectionFill[s.light] : undefined);
      expect(cell(row, '完成率（%）').value).toBe(s.completion);
      expect(cell(row, '序时进度（%）').value).toBe(s.expected);
    });
    const units = rows(sheet(wb, '单位排名'));
    units.forEach((row, i) => {
      const u = pack.scoreboard[i];
      expect(fillOf(cell(row, '四分位'))).toBe(u.band ? sectionFill[u.band] : undefined);
      expect([cell(row, '名次').value, cell(row, '牵头单位').value, cell(row, '得分').value]).toEqual([
        u.rank,
        u.unitName,
        u.score,
      ]);
      expect(cell(row, '名次变化').value).toBe(u.change);
    });
  });

  it('writes reports with a 合计 row, recent closures, previous actions and the trend', () => {
    const reports = rows(sheet(wb, '报送情况'));
    expect(reports).toHaveLength(pack.reports.length + 1);
    expect(reports.map((r) => cell(r, '缺报').value)).toEqual([...pack.reports.map((r) => r.missing), 3]);
    expect(fillOf(cell(reports[0], '缺报'))).toBe(RED);
    expect(rows(sheet(wb, '近期销号')).map((r) => cell(r, '销号日期').value)).toEqual(
      pack.closedSince.items.map((c) => c.closedOn),
    );
    const actions = rows(sheet(wb, '上次会议交办'));
    expect(actions.map((r) => cell(r, '落实情况').value)).toEqual([
      '逾期未销号',
      '已销号',
      '逾期未销号',
      '办理中',
    ]);
    expect(fillOf(cell(actions[1], '落实情况'))).toBe(GREEN);
    const trend = rows(sheet(wb, '趋势'));
    expect(trend.map((r) => [cell(r, '周期').value, cell(r, '计划完成率（%）').value ?? null])).toEqual(
      pack.trend.map((t) => [t.period, t.completion]),
    );
  });

  it('writes a single note row when there was no previous meeting', async () => {
    const pack2 = samplePack();
    pack2.previousMeeting = null;
    const ws = sheet(await load(pack2), '上次会议交办');
    expect(ws.rowCount).toBe(1);
    expect(String(ws.getRow(1).getCell(1).value)).toContain('无交办事项');
  });

  it('writes long lists in full and reports rising progress up to 100', async () => {
    const big = largePack({ overdue: 6000, atRisk: 1500, units: 40 });
    const seen: number[] = [];
    const workbook = new Workbook();
    await workbook.xlsx.load((await renderPackXlsx(big, (p) => seen.push(p))) as unknown as XlsxInput);
    const overdue = sheet(workbook, '逾期事项');
    expect(overdue.rowCount - 1).toBe(6000);
    expect(overdue.getRow(6001).getCell(8).value).toBe(big.overdue[5999].overdueWorkdays);
    expect(sheet(workbook, '风险事项').rowCount - 1).toBe(1500);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen.length).toBeGreaterThan(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
