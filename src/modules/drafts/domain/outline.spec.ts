import { asciiView, clauseMarkers, headingOf, paragraphs, splitClauses, zhNumeral } from './outline';
import { tableAt, unitNames } from './table';
import { titleFromText } from './title';

const texts = (source: string, ranges: [number, number][]): string[] =>
  ranges.map(([s, e]) => source.slice(s, e));

describe('paragraphs', () => {
  it('trims CR, BOM and ideographic spaces but keeps offsets into the text as given', () => {
    const text = '\uFEFF一、总体要求\r\n\r\n　　（一）强化引领。\r\n';
    const paras = paragraphs(text);
    expect(
      texts(
        text,
        paras.map((p) => [p.start, p.end]),
      ),
    ).toEqual(['一、总体要求', '（一）强化引领。']);
    expect(paras[0].start).toBe(1);
  });
});

describe('zhNumeral', () => {
  it.each([
    ['一', 1],
    ['九', 9],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十三', 23],
  ])('%s → %d', (s, n) => expect(zhNumeral(s)).toBe(n));
  it.each(['', '零', '一二', '十十'])('%j is not a numeral', (s) => expect(zhNumeral(s)).toBeNaN());
});

describe('headingOf', () => {
  const read = (line: string) => {
    const [p] = paragraphs(line);
    return headingOf(line, asciiView(line), p);
  };
  it('reads 一、, （一）/(一) and 1./1、/１．headings with their numbering as written', () => {
    expect(read('二、坚持精细管理')).toMatchObject({ level: 'A', n: 2, numbering: '二、' });
    expect(read('（十一）强化执法')).toMatchObject({ level: 'B', n: 11, numbering: '（十一）' });
    expect(read('(三)坚持改革创新')).toMatchObject({ level: 'B', n: 3, numbering: '(三)' });
    expect(read('3.强化违法建设治理')).toMatchObject({ level: 'C', n: 3, numbering: '3.' });
    expect(read('2、深化垃圾分类')).toMatchObject({ level: 'C', n: 2, numbering: '2、' });
    expect(read('１２．提升执法水平')).toMatchObject({ level: 'C', n: 12, numbering: '１２．' });
  });
  it('does not take a decimal, a year or a bare number for a heading', () => {
    expect(read('1.5万吨垃圾完成处置')).toBeNull();
    expect(read('2022年是实施规划的重要一年')).toBeNull();
    expect(read('3')).toBeNull();
    expect(read('一年来，我们重点抓好了以下工作')).toBeNull();
  });
});

describe('splitClauses', () => {
  it('splits after 。 and ； but not inside quotes or brackets', () => {
    const s = '坚决摒弃“说了当做了。做了当做成了”的作风；推行“721”工作法（70%服务；20%管理）。开展整治。';
    expect(texts(s, splitClauses(s, 0, s.length, '。；'))).toEqual([
      '坚决摒弃“说了当做了。做了当做成了”的作风；',
      '推行“721”工作法（70%服务；20%管理）。',
      '开展整治。',
    ]);
  });
  it('ignores nesting when the brackets do not balance instead of swallowing the rest', () => {
    const s = '开展“门前五包整治。完成立面改造；新增口袋公园。';
    expect(texts(s, splitClauses(s, 0, s.length, '。；'))).toEqual([
      '开展“门前五包整治。',
      '完成立面改造；',
      '新增口袋公园。',
    ]);
  });
  it('cuts once after a run of terminators and drops empty pieces', () => {
    const s = '完成方案编制。；\n  启动试点。';
    expect(texts(s, splitClauses(s, 0, s.length, '。；'))).toEqual(['完成方案编制。；', '启动试点。']);
  });
});

describe('clauseMarkers', () => {
  const marks = (s: string) => {
    const found = clauseMarkers(s, asciiView(s), 0, s.length);
    return found.map((m) => s.slice(m.textStart, m.textStart + 4));
  };
  it('finds 一是/二是… in sequence after a sentence break', () => {
    expect(marks('要抓好三件事。一是开展普查，明家底。二是清理法规；三是编制规划。')).toEqual([
      '开展普查',
      '清理法规',
      '编制规划',
    ]);
  });
  it('ignores 是 after a numeral inside a word and markers out of sequence', () => {
    expect(marks('这是唯一是非问题。二是清理法规。')).toEqual([]);
    expect(marks('统一是前提，一是开展普查。三是编制规划。')).toEqual([]);
  });
  it('finds （1）（2）, ①② and line-start 1. 2. lists', () => {
    expect(marks('（1）开展普查。（2）清理法规。')).toEqual(['开展普查', '清理法规']);
    expect(marks('①开展普查；②清理法规。')).toEqual(['开展普查', '清理法规']);
    expect(marks('要求如下：\n1.开展普查。\n2.清理法规。')).toEqual(['开展普查', '清理法规']);
  });
  it('needs at least two markers (a lone 一是 is just words)', () => {
    expect(marks('一是开展普查。')).toEqual([]);
  });
});

describe('titleFromText', () => {
  it.each([
    ['一是开展要素普查，明家底。对市政设施开展普查。', '开展要素普查'],
    ['开展要素普查,明家底。', '开展要素普查'],
    ['（2）清理完善法规；强支撑', '清理完善法规'],
    // A bracket that closes the clause explains it; one inside the clause stays.
    ['推行“721”工作法（70%服务，20%管理），提升效能。', '推行“721”工作法'],
    ['积极探索与“两湖”（xx、xx）高校建立跟班学习机制。', '积极探索与“两湖”（xx、xx）高校建立跟班学习机制'],
    [
      '认真落实《城区静态交通秩序综合管理机制（试行）》，开展整治。',
      '认真落实《城区静态交通秩序综合管理机制（试行）》',
    ],
    // Approach or topic only: the title is the duty that follows (the two source documents, d-milestones).
    ['坚持“小切口”切入，启动生活垃圾分类试点工作。', '启动生活垃圾分类试点工作'],
    ['坚持“可知可控、精准防控”，常态化抓好疫情防控工作。', '常态化抓好疫情防控工作'],
    ['广泛宣传发动，积极收集并上报招商引资有效线索。', '积极收集并上报招商引资有效线索'],
    ['对进度滞后的项目，实行每月通报、季度约谈。', '实行每月通报、季度约谈'],
    ['对城区主次干道开展全天候巡查，确保发现率达到100%。', '对城区主次干道开展全天候巡查'],
    ['坚持“三会一课”制度，严格组织生活。', '坚持“三会一课”制度'],
    ['3.强化违法建设治理', '强化违法建设治理'],
    ['按照网格化管理模式，实行分区包片责任制，量化巡查任务。', '实行分区包片责任制'],
    ['以对标融入xx为抓手，积极探索与高校建立跟班学习机制。', '积极探索与高校建立跟班学习机制'],
    ['通过“柔性自治”和“刚性约束”相结合的方式，持续开展整治行动。', '持续开展整治行动'],
    ['依托行政调解室，运用调解说理的方式化解行政纠纷。', '运用调解说理的方式化解行政纠纷'],
    [
      '严格落实市委、市政府关于加强\n全市砂石资源管理一系列举措，加强日常监管。',
      '严格落实市委、市政府关于加强全市砂石资源管理一系列举措',
    ],
    // Only framing in the first sentence: keep it rather than borrow from the next sentence.
    ['按照疏堵结合的原则。优化设置方案。', '按照疏堵结合的原则'],
  ])('%s → %s', (text, title) => expect(titleFromText(text)).toBe(title));
  it('caps a long first clause at 30 characters', () => {
    const title = titleFromText(
      '规范准确地向市级公共信用信息系统上传归集基础信用、联合奖惩、信用承诺等信息。',
    );
    expect(title).toHaveLength(30);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('任务分解表 (table.ts)', () => {
  it('fills an empty cell of a one-cell-per-line row: a trailing date-like cell goes to 完成时限', () => {
    const text = [
      '序号',
      '工作任务',
      '牵头单位',
      '责任单位',
      '完成时限',
      '1',
      '整治占道经营',
      '市容科',
      '6月底前',
      '2',
      '清理小广告',
      '环卫科',
      '东城街道办事处',
      '年底前',
    ].join('\n');
    const paras = paragraphs(text);
    const table = tableAt(text, paras, 0)!;
    expect(table.columns).toEqual(['seq', 'task', 'lead', 'co', 'deadline']);
    const cell = (r: [number, number] | null) => (r ? text.slice(r[0], r[1]) : null);
    expect(table.rows.map((row) => row.cells.map(cell))).toEqual([
      ['1', '整治占道经营', '市容科', null, '6月底前'],
      ['2', '清理小广告', '环卫科', '东城街道办事处', '年底前'],
    ]);
  });
  it('is not a table without a task column or without a unit/deadline column', () => {
    const a = '序号\t牵头单位\t完成时限';
    expect(tableAt(a, paragraphs(a), 0)).toBeNull();
    const b = '序号\t工作任务\t备注';
    expect(tableAt(b, paragraphs(b), 0)).toBeNull();
  });
  it('splits a units cell at 、，/ and spaces', () => {
    expect(unitNames('市容科、东城街道办事处，西城街道办事处/环卫公司 市住建局')).toEqual([
      '市容科',
      '东城街道办事处',
      '西城街道办事处',
      '环卫公司',
      '市住建局',
    ]);
  });
});
