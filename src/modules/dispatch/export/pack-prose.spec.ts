import { samplePack } from './fixtures';
import { packSummaryProse } from './pack-prose';

describe('packSummaryProse', () => {
  it('words the sample pack: counts, completion behind 序时进度, reports and 通报', () => {
    expect(packSummaryProse(samplePack())).toBe(
      '截至2022年6月30日，2022年重点工作共计128项，已销号41项（其中按期销号35项），逾期6项，存在风险4项；' +
        '计划完成率46.85%，序时进度50.41%，慢于序时进度3.56个百分点。' +
        '本周期应报50项，缺报3项、迟报4项。已发督办单（通报）2项。',
    );
  });

  it('says 快于 when completion is ahead of 序时进度', () => {
    const pack = samplePack();
    pack.summary.completion = 55;
    pack.summary.expected = 50.41;
    expect(packSummaryProse(pack)).toContain('计划完成率55%，序时进度50.41%，快于序时进度4.59个百分点。');
  });

  it('says 持平 when the two figures are equal at two decimals', () => {
    const pack = samplePack();
    pack.summary.completion = 50.41;
    pack.summary.expected = 50.41;
    expect(packSummaryProse(pack)).toContain('计划完成率50.41%，序时进度50.41%，与序时进度持平。');
  });

  it('says 暂无数据 for missing figures instead of printing null', () => {
    const pack = samplePack();
    pack.summary.completion = null;
    pack.summary.expected = null;
    const both = packSummaryProse(pack);
    expect(both).toContain('；计划完成率、序时进度暂无数据。');
    expect(both).not.toContain('null');
    pack.summary.expected = 12.5;
    expect(packSummaryProse(pack)).toContain('计划完成率暂无数据，序时进度12.5%。');
    pack.summary.completion = 10;
    pack.summary.expected = null;
    expect(packSummaryProse(pack)).toContain('计划完成率10%，序时进度暂无数据。');
  });

  it('words zero counts plainly: nothing closed, overdue, at risk, missing or noticed', () => {
    const pack = samplePack();
    Object.assign(pack.summary, {
      closed: 0,
      closedOnTime: 0,
      overdue: 0,
      atRisk: 0,
      reportsMissing: 0,
      reportsLate: 0,
      noticed: 0,
    });
    pack.notice = [];
    expect(packSummaryProse(pack)).toBe(
      '截至2022年6月30日，2022年重点工作共计128项，尚无销号事项，无逾期事项，无风险事项；' +
        '计划完成率46.85%，序时进度50.41%，慢于序时进度3.56个百分点。' +
        '本周期应报50项，均已按时报送。本期无已发督办单（通报）事项。',
    );
  });

  it('says no report was due when the cycle owes none', () => {
    const pack = samplePack();
    pack.reports = [];
    Object.assign(pack.summary, { reportsMissing: 0, reportsLate: 0 });
    expect(packSummaryProse(pack)).toContain('本周期暂无应报事项。');
  });

  it('has one short sentence for a plan with no counted items', () => {
    const pack = samplePack();
    pack.summary.items = 0;
    pack.asOf = '2022-01-05';
    expect(packSummaryProse(pack)).toBe('截至2022年1月5日，2022年重点工作暂无计入统计的事项。');
  });
});
