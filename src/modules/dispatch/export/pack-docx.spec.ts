import JSZip from 'jszip';

import type { DispatchPackDto } from '../dto/dispatch-pack.dto';
import { largePack, samplePack } from './fixtures';
import { renderPackCharts, type PackCharts } from './pack-charts';
import { renderPackDocx } from './pack-docx';
import { HIDDEN } from './pack-format';
import { packSummaryProse } from './pack-prose';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const textOf = (xml: string) =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join('');

interface Doc {
  xml: string;
  zip: JSZip;
  /** Text of each top-level paragraph (outside tables). */
  paragraphs: string[];
  /** Each table as rows of cell texts, the header row first. */
  tables: string[][][];
}

async function open(buffer: Buffer): Promise<Doc> {
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file('word/document.xml')!.async('string');
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1].matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...r[1].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => textOf(c[1])),
    ),
  );
  const outside = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  const paragraphs = [...outside.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((p) => textOf(p[1]));
  return { xml, zip, paragraphs, tables };
}

/** The table whose header row starts with the given headers. */
function tableWith(doc: Doc, ...headers: string[]): string[][] {
  const found = doc.tables.find((t) => headers.every((h, i) => t[0]?.[i] === h));
  if (!found) throw new Error(`no table headed ${headers.join(' | ')}`);
  return found;
}

const n = (x: number | null) => (x === null ? '—' : String(x));

describe('renderPackDocx', () => {
  const pack = samplePack();
  let charts: PackCharts;
  let doc: Doc;

  beforeAll(async () => {
    charts = await renderPackCharts(pack);
    doc = await open(await renderPackDocx(pack, charts));
  });

  it('opens with the title, the period and the as-of line, then the eight parts in order', () => {
    expect(doc.paragraphs.slice(0, 3)).toEqual([
      '新兴市城市管理局2022年重点工作月调度会材料',
      '（2022年6月）',
      '统计截至：2022年6月30日',
    ]);
    const headings = doc.paragraphs.filter((p) => /^[一二三四五六七八]、/.test(p));
    expect(headings).toEqual([
      '一、总体情况',
      '二、各部分进展',
      '三、单位考核排名',
      '四、逾期事项及通报',
      '五、风险事项',
      '六、报送情况',
      '七、上次会议交办事项落实情况',
      '八、完成率趋势',
    ]);
  });

  it('holds the summary prose and the summary figures', () => {
    expect(doc.paragraphs).toContain(packSummaryProse(pack));
    const summary = tableWith(doc, '项目', '数值', '项目', '数值').slice(1);
    const pairs = new Map(summary.flatMap((r) => [[r[0], r[1]] as const, [r[2], r[3]] as const]));
    expect(pairs.get('计入事项（项）')).toBe(String(pack.summary.items));
    expect(pairs.get('逾期未销号（项）')).toBe(String(pack.summary.overdue));
    expect(pairs.get('计划完成率（%）')).toBe(String(pack.summary.completion));
    expect(pairs.get('序时进度（%）')).toBe(String(pack.summary.expected));
  });

  it('lists each section with exactly the JSON figures', () => {
    const rows = tableWith(doc, '序号', '部分', '完成率（%）').slice(1);
    expect(rows.map((r) => [r[1], r[2], r[3], r[5], r[6], r[7]])).toEqual(
      pack.sections.map((s) => [
        s.title,
        n(s.completion),
        n(s.expected),
        String(s.red),
        String(s.yellow),
        String(s.green),
      ]),
    );
  });

  it('lists every ranked unit with its rank, score and change', () => {
    const rows = tableWith(doc, '名次', '牵头单位', '得分').slice(1);
    expect(rows.map((r) => [r[0], r[1], r[2], r[4], r[5]])).toEqual(
      pack.scoreboard.map((u) => [
        n(u.rank),
        u.unitName,
        n(u.score),
        n(u.previousRank),
        u.change === null ? '—' : u.change > 0 ? `+${u.change}` : String(u.change),
      ]),
    );
  });

  it('marks 通报 and 上次遗留 overdue items and hides other units’ details', () => {
    const rows = tableWith(doc, '序号', '事项名称', '牵头单位', '责任人（分管领导）').slice(1);
    expect(rows).toHaveLength(pack.overdue.length);
    rows.forEach((r, i) => {
      const o = pack.overdue[i];
      expect(r[1]).toBe(o.visible ? o.title : HIDDEN);
      expect([r[2], r[4], r[5]]).toEqual([o.leadUnit, o.deadline, String(o.overdueWorkdays)]);
      const marks = [pack.notice.includes(o.itemId) && '通报', o.carriedForward && '上次遗留'].filter(
        Boolean,
      );
      expect(r[7]).toBe(marks.length ? marks.join('、') : '—');
    });
    expect(doc.paragraphs).toContain(
      '截至2022年6月30日，逾期未销号事项6项，其中已发督办单（通报）2项，上次调度会遗留2项。',
    );
  });

  it('lists at-risk items, reports with a 合计 row, and the previous meeting’s actions', () => {
    const risk = tableWith(doc, '序号', '事项名称', '牵头单位', '责任人').slice(1);
    expect(risk.map((r) => [r[5], r[6]])).toEqual(pack.atRisk.map((a) => [n(a.completion), n(a.expected)]));
    expect(risk[0][7]).toBe('红灯（上次遗留）');
    const reports = tableWith(doc, '牵头单位', '应报').slice(1);
    expect(reports.map((r) => r[0])).toEqual([...pack.reports.map((r) => r.leadUnit), '合计']);
    expect(reports[reports.length - 1]).toEqual(['合计', '50', '43', '4', '3']);
    const actions = tableWith(doc, '序号', '交办内容').slice(1);
    expect(actions.map((r) => [r[1], r[2], r[6]])).toEqual([
      ['路灯节能改造一期须于6月底前完工', '完成主次干道路灯节能改造一期', '逾期未销号'],
      ['加快公厕提升改造进度', '完成城区公厕提升改造10座', '已销号'],
      ['东城区须提交整改方案', HIDDEN, '逾期未销号'],
      ['各单位7月5日前报送上半年工作总结', '—', '办理中'],
    ]);
  });

  it('embeds the three charts as PNG images', async () => {
    const media = Object.keys(doc.zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(3);
    const images = await Promise.all(media.map((m) => doc.zip.file(m)!.async('nodebuffer')));
    for (const png of images) expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(images.map((i) => i.length).sort()).toEqual(
      [charts.sections, charts.ranking, charts.trend].map((c) => c.length).sort(),
    );
  });

  it('never prints a hidden item’s details, even if the pack carried them', async () => {
    const leaky: DispatchPackDto = samplePack();
    Object.assign(leaky.overdue[2], { title: '不应出现的标题', owner: '不应出现的人' });
    Object.assign(leaky.atRisk[1], { title: '不应出现的标题' });
    leaky.previousMeeting!.actions[2].title = '不应出现的标题';
    const leakyDoc = await open(await renderPackDocx(leaky, charts));
    expect(textOf(leakyDoc.xml)).not.toContain('不应出现');
  });

  it('cuts item lists at 200 rows with a note, but states the full counts', async () => {
    const big = largePack({ overdue: 250, atRisk: 30, units: 205 });
    const bigDoc = await open(await renderPackDocx(big, charts));
    const overdue = tableWith(bigDoc, '序号', '事项名称', '牵头单位', '责任人（分管领导）');
    expect(overdue).toHaveLength(1 + 200);
    expect(overdue[200][5]).toBe(String(big.overdue[199].overdueWorkdays));
    expect(tableWith(bigDoc, '名次', '牵头单位', '得分')).toHaveLength(1 + 200);
    expect(tableWith(bigDoc, '序号', '事项名称', '牵头单位', '责任人')).toHaveLength(1 + 30);
    expect(bigDoc.paragraphs).toContain('其余 50 项见 Excel 台账。');
    expect(bigDoc.paragraphs).toContain('其余 5 项见 Excel 台账。');
    // The 报送情况 table: 200 units, the note, and the 合计 row of all 205.
    const reports = tableWith(bigDoc, '牵头单位', '应报');
    expect(reports).toHaveLength(1 + 200 + 1);
    expect(reports[201][1]).toBe(String(205 * 50));
    expect(bigDoc.paragraphs.filter((p) => p.endsWith('项见 Excel 台账。'))).toHaveLength(3);
    expect(bigDoc.paragraphs.some((p) => p.includes('逾期未销号事项250项'))).toBe(true);
    expect(bigDoc.paragraphs.some((p) => p.includes(`逾期250项`))).toBe(true);
  });

  it('reports progress from 0 to 100, rising', async () => {
    const seen: number[] = [];
    await renderPackDocx(pack, charts, (p) => seen.push(p));
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
