import { Workbook, type CellValue, type Worksheet, type Xlsx } from 'exceljs';

import {
  CO_UNIT_SEPARATOR,
  readBreakdownSheet,
  SHEET_COLUMNS,
  splitTaskLabel,
  writeBreakdownSheet,
  type RawRow,
  type SheetColumn,
  type SheetItem,
  type SheetPlan,
  type SheetTask,
} from './breakdown-sheet';

type XlsxInput = Parameters<Xlsx['load']>[0];

async function loadSheet(file: Buffer): Promise<Worksheet> {
  const workbook = new Workbook();
  await workbook.xlsx.load(file as unknown as XlsxInput);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  return sheet;
}

async function toBuffer(workbook: Workbook): Promise<Buffer> {
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}

function item(overrides: Partial<SheetItem> = {}): SheetItem {
  return {
    detail: '开展背街小巷环境整治，全年完成整治100条',
    leadUnit: '市容环境卫生管理科',
    coUnits: ['各区城市管理局'],
    responsibleLeader: '张建国',
    owner: '李明',
    deadline: '2022-12-31',
    cadence: '每月',
    targets: '背街小巷整治≥100条；群众满意度≥90%',
    status: '推进中',
    ...overrides,
  };
}

const PLAN: SheetPlan = {
  title: '××市城市管理局2022年',
  year: 2022,
  sections: [
    {
      numbering: '一、',
      title: '推进市容环境提质',
      tasks: [
        {
          numbering: '（一）',
          title: '开展市容提质行动',
          items: [
            item({ coUnits: ['各区城市管理局', '市住建局', '市交通运输局'] }),
            item({
              detail: '规范户外广告和招牌设置',
              owner: null,
              targets: '',
              cadence: '常态化',
              coUnits: [],
              deadline: '2022-06-30',
            }),
          ],
        },
        { numbering: '（二）', title: '建立长效管理机制', items: [] },
      ],
    },
    {
      numbering: '二、',
      title: '提升环卫作业水平',
      tasks: [
        {
          numbering: null,
          title: '推进生活垃圾分类',
          items: [item({ detail: '新增垃圾分类示范小区30个', status: '已分派', cadence: '每季度' })],
        },
      ],
    },
    {
      numbering: null,
      title: '其他工作',
      tasks: [
        { numbering: '（一）', title: '完成上级交办事项', items: [item({ detail: '按时办结交办件' })] },
      ],
    },
  ],
};

const ITEM_COLUMNS = SHEET_COLUMNS.filter((name) => name !== '序号' && name !== '重点任务');

/** The caller's side of the round trip: rows back into a plan (consecutive rows of one 重点任务 = one task). */
function rebuildPlan(title: string | null, rows: RawRow[], year: number): SheetPlan {
  const plan: SheetPlan = { title: title ?? '', year, sections: [] };
  let lastLabel: string | null = null;
  for (const row of rows) {
    if (row.kind === 'section') {
      plan.sections.push({ numbering: row.numbering, title: row.title, tasks: [] });
      lastLabel = null;
      continue;
    }
    let section = plan.sections[plan.sections.length - 1];
    if (!section) {
      section = { numbering: null, title: '', tasks: [] };
      plan.sections.push(section);
    }
    const label = row.cells['重点任务'];
    let task: SheetTask | undefined = section.tasks[section.tasks.length - 1];
    if (!task || label !== lastLabel) {
      task = { ...splitTaskLabel(label), items: [] };
      section.tasks.push(task);
      lastLabel = label;
    }
    if (ITEM_COLUMNS.every((name) => row.cells[name] === '')) continue; // placeholder of a task without items
    task.items.push({
      detail: row.cells['具体事项'],
      leadUnit: row.cells['牵头单位'],
      coUnits: row.cells['配合单位'].split(CO_UNIT_SEPARATOR).filter((name) => name !== ''),
      responsibleLeader: row.cells['责任领导'],
      owner: row.cells['责任人'] === '' ? null : row.cells['责任人'],
      deadline: row.cells['完成时限'],
      cadence: row.cells['工作频次'],
      targets: row.cells['量化指标'],
      status: row.cells['状态'],
    });
  }
  return plan;
}

function cells(values: Partial<Record<SheetColumn, string>>): Record<SheetColumn, string> {
  const all = Object.fromEntries(SHEET_COLUMNS.map((name) => [name, values[name] ?? ''])) as Record<
    SheetColumn,
    string
  >;
  return all;
}

/** Every cell value of a worksheet, row by row (column 1..n). */
function sheetValues(sheet: Worksheet): CellValue[][] {
  const rows: CellValue[][] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row: CellValue[] = [];
    for (let c = 1; c <= sheet.columnCount; c += 1) row.push(sheet.getCell(r, c).value);
    rows.push(row);
  }
  return rows;
}

describe('writeBreakdownSheet → readBreakdownSheet', () => {
  it('gives back the same sections, tasks and items', async () => {
    const { title, rows, problems } = await readBreakdownSheet(await writeBreakdownSheet(PLAN));

    expect(problems).toEqual([]);
    expect(title).toBe('××市城市管理局2022年任务分解表');
    expect(rows).toEqual<RawRow[]>([
      { kind: 'section', row: 3, numbering: '一、', title: '推进市容环境提质' },
      {
        kind: 'item',
        row: 4,
        cells: cells({
          序号: '1',
          重点任务: '（一）开展市容提质行动',
          具体事项: '开展背街小巷环境整治，全年完成整治100条',
          牵头单位: '市容环境卫生管理科',
          配合单位: '各区城市管理局、市住建局、市交通运输局',
          责任领导: '张建国',
          责任人: '李明',
          完成时限: '2022-12-31',
          工作频次: '每月',
          量化指标: '背街小巷整治≥100条；群众满意度≥90%',
          状态: '推进中',
        }),
      },
      {
        kind: 'item',
        row: 5,
        cells: cells({
          序号: '2',
          重点任务: '（一）开展市容提质行动',
          具体事项: '规范户外广告和招牌设置',
          牵头单位: '市容环境卫生管理科',
          责任领导: '张建国',
          完成时限: '2022-06-30',
          工作频次: '常态化',
          状态: '推进中',
        }),
      },
      // The task without items: only 序号 and 重点任务.
      { kind: 'item', row: 6, cells: cells({ 序号: '3', 重点任务: '（二）建立长效管理机制' }) },
      { kind: 'section', row: 7, numbering: '二、', title: '提升环卫作业水平' },
      {
        kind: 'item',
        row: 8,
        cells: cells({
          序号: '4',
          重点任务: '推进生活垃圾分类',
          具体事项: '新增垃圾分类示范小区30个',
          牵头单位: '市容环境卫生管理科',
          配合单位: '各区城市管理局',
          责任领导: '张建国',
          责任人: '李明',
          完成时限: '2022-12-31',
          工作频次: '每季度',
          量化指标: '背街小巷整治≥100条；群众满意度≥90%',
          状态: '已分派',
        }),
      },
      // A section without numbering is recognised by its merged title cell.
      { kind: 'section', row: 9, numbering: null, title: '其他工作' },
      expect.objectContaining({ kind: 'item', row: 10 }),
    ]);
  });

  it('rebuilds the same plan from the rows', async () => {
    const { title, rows } = await readBreakdownSheet(await writeBreakdownSheet(PLAN));
    const rebuilt = rebuildPlan(title, rows, PLAN.year);
    expect(rebuilt.sections).toEqual(PLAN.sections);
  });

  it('export → import → export yields identical cell values', async () => {
    const first = await writeBreakdownSheet(PLAN);
    const { title, rows } = await readBreakdownSheet(first);
    const second = await writeBreakdownSheet(rebuildPlan(title, rows, PLAN.year));

    const [a, b] = [await loadSheet(first), await loadSheet(second)];
    expect(b.rowCount).toBe(a.rowCount);
    expect(b.columnCount).toBe(a.columnCount);
    expect(sheetValues(b)).toEqual(sheetValues(a));
    expect(b.model.merges.sort()).toEqual(a.model.merges.sort());
    expect(a.rowCount).toBe(10);
  });

  it('trims what it writes, so the round trip is stable even for untidy input', async () => {
    const untidy: SheetPlan = {
      title: ' 测试计划任务分解表 ',
      year: 2023,
      sections: [
        {
          numbering: ' 一、',
          title: ' 标题 ',
          tasks: [
            {
              numbering: '（一）',
              title: ' 任务 ',
              items: [item({ detail: '  事项\n第二行  ', coUnits: [' 甲 ', '', '乙'], owner: '  ' })],
            },
          ],
        },
      ],
    };
    const first = await writeBreakdownSheet(untidy);
    const read = await readBreakdownSheet(first);
    expect(read.title).toBe('测试计划任务分解表'); // the suffix is not doubled
    const second = await writeBreakdownSheet(rebuildPlan(read.title, read.rows, 2023));
    expect(sheetValues(await loadSheet(second))).toEqual(sheetValues(await loadSheet(first)));
    expect(read.rows[1]).toEqual(
      expect.objectContaining({
        cells: expect.objectContaining({ 具体事项: '事项\n第二行', 配合单位: '甲、乙', 责任人: '' }),
      }),
    );
  });
});

describe('writeBreakdownSheet layout', () => {
  let sheet: Worksheet;
  beforeAll(async () => {
    sheet = await loadSheet(await writeBreakdownSheet(PLAN));
  });

  it('is one worksheet named 任务分解表 with the title merged across row 1', () => {
    expect(sheet.name).toBe('任务分解表');
    expect(sheet.getCell('A1').value).toBe('××市城市管理局2022年任务分解表');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('A1').alignment?.horizontal).toBe('center');
    expect(sheet.model.merges).toContain('A1:K1');
  });

  it('has the header at row 2, bold, grey, bordered, and frozen (ySplit 2)', () => {
    const header = SHEET_COLUMNS.map((_, index) => sheet.getRow(2).getCell(index + 1));
    expect(header.map((cell) => cell.value)).toEqual([...SHEET_COLUMNS]);
    for (const cell of header) {
      expect(cell.font?.bold).toBe(true);
      expect(cell.fill).toEqual(expect.objectContaining({ type: 'pattern', pattern: 'solid' }));
      expect(cell.border?.bottom?.style).toBe('thin');
    }
    expect(sheet.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 2 }));
  });

  it('sets the column widths and wraps long text', () => {
    const widths = SHEET_COLUMNS.map((_, index) => sheet.getColumn(index + 1).width);
    expect(widths).toEqual([6, 24, 60, 18, 20, 12, 12, 12, 10, 30, 10]);
    expect(sheet.getCell('C4').alignment).toEqual(
      expect.objectContaining({ wrapText: true, vertical: 'top' }),
    );
    expect(sheet.getCell('J4').alignment?.wrapText).toBe(true);
    expect(sheet.getCell('H4').border?.left?.style).toBe('thin');
  });

  it('writes sections as numbering + merged bold title, 序号 as numbers and 完成时限 as text', () => {
    expect(sheet.getCell('A3').value).toBe('一、');
    expect(sheet.getCell('B3').value).toBe('推进市容环境提质');
    expect(sheet.getCell('B3').font?.bold).toBe(true);
    expect(sheet.model.merges).toEqual(expect.arrayContaining(['B3:K3', 'B7:K7', 'B9:K9']));
    expect(sheet.getCell('A9').value).toBeNull();
    expect([4, 5, 6, 8, 10].map((r) => sheet.getCell(r, 1).value)).toEqual([1, 2, 3, 4, 5]);
    expect(sheet.getCell('H4').value).toBe('2022-12-31');
    expect(sheet.getCell('E4').value).toBe('各区城市管理局、市住建局、市交通运输局');
    expect(sheet.getCell('G5').value).toBeNull(); // empty owner: blank cell
  });
});

describe('readBreakdownSheet on hand-made sheets', () => {
  /** Header on row 1, another column order, an extra 备注 column, and the usual hand-made quirks. */
  async function handMade(): Promise<Buffer> {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    const order: string[] = [
      '序号',
      '具体事项',
      '重点任务',
      '完成\n时限',
      ' 牵头单位 ',
      '配合单位',
      '责任领导',
      '责任人',
      '备注',
      '状态',
      '工作频次',
      '量化指标',
    ];
    sheet.addRow(order);
    const put = (rowNumber: number, values: Record<string, CellValue>): void => {
      for (const [name, value] of Object.entries(values)) {
        const col = order.findIndex((header) => header.replace(/\s/g, '') === name) + 1;
        sheet.getCell(rowNumber, col).value = value;
      }
    };
    // Row 2: section by numbering, title typed in 具体事项 (the first column after 序号).
    put(2, { 序号: '一、', 具体事项: '  推进市容环境提质 ' });
    // Rows 3-4: items; 重点任务 merged vertically over both.
    put(3, {
      序号: 1,
      具体事项: { richText: [{ text: '开展背街小巷', font: { bold: true } }, { text: '环境整治' }] },
      重点任务: '（一）开展市容提质行动',
      完成时限: new Date(Date.UTC(2022, 5, 30)),
      牵头单位: '市容环境卫生管理科',
      配合单位: '各区城市管理局、市住建局',
      责任领导: '张建国',
      责任人: '李明',
      备注: '无',
      状态: '推进中',
      工作频次: '每月',
      量化指标: { formula: '"整治≥"&100&"条"', result: '整治≥100条' },
    });
    put(4, { 序号: 2.0, 具体事项: '规范招牌', 完成时限: '2022-09-30', 牵头单位: '市容科', 状态: '草稿' });
    sheet.mergeCells(3, 3, 4, 3);
    // Row 5: empty, skipped. Row 6: a whole-row merged section line.
    sheet.getCell(6, 1).value = '二、提升环卫作业水平';
    sheet.mergeCells(6, 1, 6, order.length);
    // Row 7: an item with an error value.
    put(7, { 序号: 3, 具体事项: '垃圾分类', 重点任务: '（一）推进垃圾分类', 量化指标: { error: '#N/A' } });
    return toBuffer(workbook);
  }

  it('maps columns by header text and normalises numbers, dates, rich text, formulas and merges', async () => {
    const { title, rows, problems } = await readBreakdownSheet(await handMade());

    expect(title).toBeNull();
    expect(rows).toEqual<RawRow[]>([
      { kind: 'section', row: 2, numbering: '一、', title: '推进市容环境提质' },
      {
        kind: 'item',
        row: 3,
        cells: cells({
          序号: '1',
          重点任务: '（一）开展市容提质行动',
          具体事项: '开展背街小巷环境整治',
          牵头单位: '市容环境卫生管理科',
          配合单位: '各区城市管理局、市住建局',
          责任领导: '张建国',
          责任人: '李明',
          完成时限: '2022-06-30',
          工作频次: '每月',
          量化指标: '整治≥100条',
          状态: '推进中',
        }),
      },
      {
        kind: 'item',
        row: 4,
        cells: cells({
          序号: '2',
          重点任务: '（一）开展市容提质行动', // repeated from the vertically merged cell above
          具体事项: '规范招牌',
          牵头单位: '市容科',
          完成时限: '2022-09-30',
          状态: '草稿',
        }),
      },
      { kind: 'section', row: 6, numbering: '二、', title: '提升环卫作业水平' },
      {
        kind: 'item',
        row: 7,
        cells: cells({ 序号: '3', 重点任务: '（一）推进垃圾分类', 具体事项: '垃圾分类' }),
      },
    ]);
    expect(problems).toEqual([
      { row: 7, column: '量化指标', message: '单元格是错误值（#N/A），已按空白处理' },
    ]);
  });

  it('finds the header below a title block and takes the merged title', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('计划');
    sheet.getCell('A1').value = '××区2023年重点工作任务分解表';
    sheet.mergeCells('A1:K1');
    sheet.getCell('A2').value = '填报单位：××区城市管理局';
    sheet.getRow(4).values = [...SHEET_COLUMNS];
    sheet.getRow(5).values = ['一、', '城市管理'];
    sheet.getRow(6).values = [
      1,
      '（一）任务',
      '事项',
      '科室',
      '',
      '领导',
      '',
      new Date(Date.UTC(2023, 11, 31)),
    ];
    const { title, rows, problems } = await readBreakdownSheet(await toBuffer(workbook));

    expect(problems).toEqual([]);
    expect(title).toBe('××区2023年重点工作任务分解表');
    expect(rows.map((row) => [row.kind, row.row])).toEqual([
      ['section', 5],
      ['item', 6],
    ]);
    expect(rows[1]).toEqual(
      expect.objectContaining({ cells: expect.objectContaining({ 完成时限: '2023-12-31', 序号: '1' }) }),
    );
  });

  it('keeps floating-point noise out of numbers', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow([...SHEET_COLUMNS]);
    sheet.addRow([1, '任务', '事项', '', '', '', '', '', '', 0.1 + 0.2, '']);
    const { rows } = await readBreakdownSheet(await toBuffer(workbook));
    expect(rows[0]).toEqual(expect.objectContaining({ cells: expect.objectContaining({ 量化指标: '0.3' }) }));
  });
});

describe('readBreakdownSheet problems', () => {
  it('rejects bytes that are not an xlsx file', async () => {
    for (const bytes of [Buffer.from('这不是表格'), Buffer.alloc(0)]) {
      await expect(readBreakdownSheet(bytes)).resolves.toEqual({
        title: null,
        rows: [],
        problems: [{ row: 0, column: null, message: '文件不是有效的 Excel（.xlsx）文件' }],
      });
    }
  });

  it('reports a missing header row', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['序号', '重点任务', '具体事项', '牵头单位']); // incomplete header
    sheet.addRow([1, '任务', '事项', '科室']);
    await expect(readBreakdownSheet(await toBuffer(workbook))).resolves.toEqual({
      title: null,
      rows: [],
      problems: [
        {
          row: 1,
          column: null,
          message: '找不到表头：第一行至第十行中没有包含“序号、重点任务、具体事项……”的表头行',
        },
      ],
    });
  });

  it('only looks for the header in the first ten rows', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.getRow(11).values = [...SHEET_COLUMNS];
    const { rows, problems } = await readBreakdownSheet(await toBuffer(workbook));
    expect(rows).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.row).toBe(1);
  });
});
