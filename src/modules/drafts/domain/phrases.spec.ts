/**
 * The phrase rules of issue 17 ("What 1"), rule by rule, with the acceptance examples verbatim from the two
 * source documents. Decisions taken where the issue leaves a choice:
 *
 * | question                                   | decision                                                    |
 * |--------------------------------------------|-------------------------------------------------------------|
 * | several frequencies ("月督查、季考核")       | the most frequent wins (monthly): it sets the report cycle  |
 * | frequency and one-off/ongoing words        | the frequency wins ("每月开展一次集中学法活动" → monthly)     |
 * | one-off and ongoing words together         | the first one written wins: "常态化开展…，完成…" → ongoing;   |
 * |                                            | "完成…建设，加强…" → once (the leading verb states the duty) |
 * | a delivered named project/works, no verb   | once ("推进宁城路…提升工程")                                 |
 * | nothing matches (推进/提升/强化 duties)       | ongoing: they run all the plan year                         |
 * | 新增/新建/改建 + figure                        | once (a deliverable, like 建成); 深化/加强/落实 first → ongoing |
 * | a milestone inside the year (6月底前, 三季度) | once; 年底前/年内/全年 only restate the plan year             |
 * | 完成情况 / 完成率                              | nouns, not the one-off verb 完成                              |
 * | 1至2千个 / x.x千个                            | the multiplier stays with the count word: unit 千个          |
 * | 1至2个工作日内 / 3个月内; （…figures…）         | a time limit / an explanation: no target                     |
 * | deadline words, 保持在 around a figure        | not part of the metric ("年底前建成…1座" → 建成…)             |
 * | "年度" in "2022年度"                          | a year, not the annual cadence (only 年度评估/考核… count)    |
 * | "一季度完成…" / "每季度…"                     | a deadline (year-03-31) / the quarterly cadence             |
 * | several dates in one text                  | the latest: the item is due when its last step is           |
 * | ongoing work without a date                | null (the reviewer or the plan default fills it), not an    |
 * |                                            | invented year-end                                           |
 * | dates before the plan year                 | history ("2021年签约的项目"), not a deadline                 |
 * | "春节前"                                     | the day before the plan year's Spring Festival              |
 * | bare figure ("新开工…项目2个")                | '=' (the issue: a bare number is '=')                        |
 * | 力争/争取 + figure ("力争引进x个亿元以上项目") | '>=': an aspiration is a floor; the 以上 of 亿元以上 belongs  |
 * |                                            | to 亿元, so the metric is 引进亿元以上项目                    |
 * | comparator word not next to the figure     | still read within the clause ("至少确定x个" → '>=')           |
 * | 零/无 + an incident (零上访, 无…事故)          | '=' 0 with the incident as the metric; "零容忍" (quoted) and |
 * |                                            | 无人机/无害化 are not targets                                 |
 * | what follows the unit                      | part of the metric up to the clause break or 、 ("4条街道基本 |
 * |                                            | 建成…片区"), unless it starts with 的 ("…以上的工作目标")       |
 * | Chinese-numeral counts                     | only after a clause break or a delivering verb (新增, 建成…): |
 * |                                            | "中央八项规定", "xx三个街道…中队" are names, not targets       |
 * | names in quotes or 《》                     | never targets, never units ("两个确立", GB50449-2008)          |
 * | 一批 / 一期                                  | not targets (no amount / a phase)                            |
 * | generic unit names (街道, 各区, 乡镇, 中队)  | matched only when exactly one unit of the organization fits; |
 * |                                            | otherwise null for the reviewer                              |
 * | "4条街道", "1至2个街道"                       | what is counted, not a unit                                  |
 * | "公安、水利…等部门"                            | one unit per field, named as written ("公安")                |
 */
import { analyseItem, readCadence, readDeadline, readTargets, readUnits } from './phrases';
import { demoContext, demoUnits, sourceText } from './phrases.fixtures';
import type { DraftContext } from './types';

const xxs = sourceText('xxs');
const yueyang = sourceText('yueyang');

/** The sentence must be the document's own words: the examples are not paraphrases. */
function verbatim(doc: string, sentence: string): string {
  expect(doc).toContain(sentence);
  return sentence;
}

describe('readCadence', () => {
  it.each([
    ['严格落实每周明确一天时间为集中整治日工作机制', 'weekly'],
    ['将每周三下午定为“领导信访接待日”', 'weekly'],
    ['每月开展一次集中学法活动', 'monthly'],
    ['严格落实查违控违月调度机制', 'monthly'],
    ['积极采取月督查、季考核的方式，建立常态化调度工作机制', 'monthly'],
    ['每季度开展城管系统生态环境防治检查', 'quarterly'],
    ['实行季考核', 'quarterly'],
    ['每年开展一次城市体检', 'annual'],
    ['对各类规划开展年度评估', 'annual'],
    ['完成竹峰综合执法中队办公场所规范化建设', 'once'],
    ['建成x处景观小品', 'once'],
    ['举办党务工作培训班', 'once'],
    ['出台户外广告设置管理办法', 'once'],
    ['三是编制专项规划', 'once'],
    ['启动生活垃圾分类试点工作', 'once'],
    ['推进宁城路公共空间品质提升和xx东、xx北高速出入口周边形象提升工程', 'once'],
    ['持续开展内河清淤和保洁工作', 'ongoing'],
    ['常态化开展自查自纠', 'ongoing'],
    ['坚持局党组理论中心组学习研讨制度', 'ongoing'],
    ['加强砂石资源日常监管', 'ongoing'],
    ['深化示范片区建设', 'ongoing'],
    ['全面落实党风廉政建设主体责任', 'ongoing'],
    ['常态化推进文明城市建设，完成xx路示范段改造', 'ongoing'],
    ['完成新组建局属事业单位岗位设置和班子配备，加强干部职工教育培训', 'once'],
    ['提升智能化监管水平', 'ongoing'],
  ])('%s → %s', (text, cadence) => {
    expect(readCadence(text)).toBe(cadence);
  });

  it('a year written 2022年度 is not the annual cadence', () => {
    expect(readCadence('推动2022年度工作落实')).toBe('ongoing');
  });

  it('a quarter named as a milestone is not the quarterly cadence', () => {
    expect(readCadence('一季度完成方案编制')).toBe('once');
  });

  it('"各项目标任务" is not a project', () => {
    expect(readCadence('落实清廉湖南建设各项目标任务')).toBe('ongoing');
  });
});

describe('readDeadline', () => {
  it.each([
    ['均在年内发布施行', '2022-12-31'],
    ['年底前完成整改', '2022-12-31'],
    ['确保全年无安全生产事故', '2022-12-31'],
    ['上半年完成方案编制', '2022-06-30'],
    ['下半年全面推开', '2022-12-31'],
    ['一季度完成方案编制', '2022-03-31'],
    ['第二季度完成招标', '2022-06-30'],
    ['三季度完成主体施工', '2022-09-30'],
    ['四季度完成验收', '2022-12-31'],
    ['6月底前完成', '2022-06-30'],
    ['十月底前完成', '2022-10-31'],
    ['9月15日前完成', '2022-09-15'],
    ['2022年8月31日前完成', '2022-08-31'],
    ['2023年3月底前完成', '2023-03-31'],
    ['于2022-05-20前完成', '2022-05-20'],
    ['春节前发放到位', '2022-01-31'],
    ['一季度完成方案编制，三季度完成建设，年底前投入使用', '2022-12-31'],
  ])('%s → %s', (text, iso) => {
    expect(readDeadline(text, 2022)).toBe(iso);
  });

  it.each([
    ['持续开展内河清淤和保洁工作'],
    ['每季度开展检查'],
    ['每月开展一次集中学法活动'],
    ['主动服务2021年签约的项目'],
    ['持续推进安全生产专项整治三年行动'],
    ['x月底前完成'],
    ['“x.xx”城市管理日'],
    ['2021年12月底前已完成验收'],
  ])('%s names no deadline', (text) => {
    expect(readDeadline(text, 2022)).toBeNull();
  });

  it('is relative to the plan year', () => {
    expect(readDeadline('年底前完成整改', 2023)).toBe('2023-12-31');
    expect(readDeadline('上半年完成', 2024)).toBe('2024-06-30');
  });
});

describe('readTargets', () => {
  it.each([
    ['至少4条街道', '>='],
    ['新建公厕不少于10处', '>='],
    ['群众满意率不低于95%', '>='],
    ['拆除违法建设x.x万平方米以上', '>='],
    ['积压案件控制在10件以内', '<='],
    ['投诉不超过5件', '<='],
    ['新开工项目2个', '='],
  ])('%s → comparator %s', (text, comparator) => {
    expect(readTargets(text)).toEqual([expect.objectContaining({ comparator })]);
  });

  it.each([
    ['每区新增1至2个街道', '1-2', '个'],
    ['明确x-x条主次干道', 'x-x', '条'],
    ['新建3到5座公厕', '3-5', '座'],
    ['改造1-2处节点', '1-2', '处'],
    ['新增一至两个示范点', '1-2', '个'],
  ])('%s → range %s %s', (text, value, unit) => {
    expect(readTargets(text)).toEqual([expect.objectContaining({ comparator: 'range', value, unit })]);
  });

  it.each([
    ['新增两个示范点', 2, '个'],
    ['新建二十座公厕', 20, '座'],
    ['完成一百二十处整治', 120, '处'],
    ['清运垃圾3,500吨', 3500, '吨'],
    ['安排资金1.5亿元', 1.5, '亿元'],
    ['投入xx万元', 'xx', '万元'],
  ])('%s → value %p %s', (text, value, unit) => {
    expect(readTargets(text)).toEqual([expect.objectContaining({ value, unit })]);
  });

  it.each([
    ['2022年是实施“十四五”规划的重要一年'],
    ['牢固树立“四个意识”，坚定“四个自信”，切实增强衷心拥护“两个确立”、坚决做到“两个维护”的行动自觉'],
    ['认真落实“三会一课”、组织生活会、民主生活会'],
    ['继续扩大“五型城管”党建品牌效应'],
    ['根据《城市容貌标准(GB50449-2008)》《岳阳市城市容貌标准》'],
    ['构建“x+N”的应用层级'],
    ['按照“数字xx”总体建设规划方案（xxxx-xxxx年）要求'],
    ['城管领域是去年第二轮中央环保督察关注的重点领域'],
    ['培土加固中央八项规定精神的堤坝'],
    ['每月开展一次集中学法活动'],
    ['将每周三下午定为“领导信访接待日”'],
    ['每周明确一天时间为集中整治日'],
    ['加快由“最多跑一次”向“一次不用跑”转变'],
    ['以“零容忍”的态度，严厉查处“微腐败”问题'],
    ['借助卫星遥感、无人机、高空鹰眼和公安天网等手段'],
    ['完成项目一期建设'],
    ['推动一批停车设施建设'],
    ['9月15日前完成'],
    ['持续推进安全生产专项整治三年行动'],
    ['推进“5个一”工程建设'],
  ])('%s has no target', (text) => {
    expect(readTargets(text)).toEqual([]);
  });

  it.each([
    ['道路机扫率达95%', { metric: '道路机扫率', comparator: '>=', value: 95, unit: '%' }],
    ['重复投诉率控制在5%以内', { metric: '重复投诉率', comparator: '<=', value: 5, unit: '%' }],
    ['1.新建公厕10座；', { metric: '新建公厕', comparator: '=', value: 10, unit: '座' }],
    ['（二）新增绿地面积12.5公顷', { metric: '新增绿地面积', comparator: '=', value: 12.5, unit: '公顷' }],
    ['三是新建垃圾中转站２座', { metric: '新建垃圾中转站', comparator: '=', value: 2, unit: '座' }],
    ['全年查处违法案件不少于100起', { metric: '查处违法案件', comparator: '>=', value: 100, unit: '起' }],
  ])('%s → %p', (text, target) => {
    expect(readTargets(text)).toEqual([target]);
  });

  it('a zero that is part of a numeral is no zero target', () => {
    expect(readTargets('完成一百零五处整治')).toEqual([
      { metric: '整治', comparator: '=', value: 105, unit: '处' },
    ]);
  });

  it('keeps the order of the text and reads two targets of one clause apart', () => {
    expect(readTargets('新增3处公厕、5座中转站，清运垃圾200吨以上')).toEqual([
      { metric: '新增公厕', comparator: '=', value: 3, unit: '处' },
      { metric: '中转站', comparator: '=', value: 5, unit: '座' },
      { metric: '清运垃圾', comparator: '>=', value: 200, unit: '吨' },
    ]);
  });

  describe('acceptance examples, verbatim from the source documents', () => {
    it('xx市: 确保完成全年拆除违法建设x.x万平方米以上的工作目标', () => {
      const s = verbatim(xxs, '确保完成全年拆除违法建设x.x万平方米以上的工作目标');
      expect(readTargets(s)).toEqual([
        { metric: '拆除违法建设', comparator: '>=', value: 'x.x', unit: '万平方米' },
      ]);
    });

    it('岳阳: 新开工生活垃圾焚烧发电项目2个', () => {
      const s = verbatim(yueyang, '新开工生活垃圾焚烧发电项目2个');
      expect(readTargets(s)).toEqual([
        { metric: '新开工生活垃圾焚烧发电项目', comparator: '=', value: 2, unit: '个' },
      ]);
    });

    it('岳阳: 1至2个街道 and 20家企事业单位', () => {
      const s = verbatim(
        yueyang,
        '在岳阳楼区、云溪区、君山区、岳阳经开区每区新增1至2个街道、城陵矶新港区新增20家企事业单位实施生活垃圾分类。',
      );
      expect(readTargets(s)).toEqual([
        {
          metric: '岳阳楼区、云溪区、君山区、岳阳经开区每区新增街道',
          comparator: 'range',
          value: '1-2',
          unit: '个',
        },
        { metric: '城陵矶新港区新增企事业单位实施生活垃圾分类', comparator: '=', value: 20, unit: '家' },
      ]);
    });

    it('岳阳: 至少4条街道基本建成生活垃圾分类示范片区', () => {
      const s = verbatim(yueyang, '至少4条街道基本建成生活垃圾分类示范片区');
      expect(readTargets(s)).toEqual([
        { metric: '街道基本建成生活垃圾分类示范片区', comparator: '>=', value: 4, unit: '条' },
      ]);
    });

    it('岳阳: 市厨余垃圾资源化利用、市建筑垃圾资源化利用2个项目建成投产', () => {
      const s = verbatim(yueyang, '市厨余垃圾资源化利用、市建筑垃圾资源化利用2个项目建成投产');
      expect(readTargets(s)).toEqual([
        {
          metric: '市厨余垃圾资源化利用、市建筑垃圾资源化利用项目建成投产',
          comparator: '=',
          value: 2,
          unit: '个',
        },
      ]);
    });

    it('xx市: 每月确定x-x个课题开展集中研讨 is a range and a monthly cadence', () => {
      const s = verbatim(
        xxs,
        '坚持局党组理论中心组学习研讨制度，认真学习党的最新理论知识，每月确定x-x个课题开展集中研讨。',
      );
      const phrases = analyseItem(s, demoContext('xxs'));
      expect(phrases.cadence).toBe('monthly');
      expect(phrases.targets).toEqual([
        { metric: '确定课题开展集中研讨', comparator: 'range', value: 'x-x', unit: '个' },
      ]);
    });

    it('岳阳: 赴省进京零上访,安全生产零责任事故', () => {
      const s = verbatim(yueyang, '赴省进京零上访,安全生产零责任事故');
      expect(readTargets(s)).toEqual([
        { metric: '赴省进京上访', comparator: '=', value: 0, unit: null },
        { metric: '安全生产责任事故', comparator: '=', value: 0, unit: null },
      ]);
    });

    it('xx市: 确保全年无安全生产事故', () => {
      const s = verbatim(
        xxs,
        '充分发挥安全生产考核指挥棒作用，及时发现和消除安全隐患，确保全年无安全生产事故。',
      );
      expect(readTargets(s)).toEqual([{ metric: '安全生产事故', comparator: '=', value: 0, unit: null }]);
    });

    it('xx市: 力争引进x个亿元以上项目 (以上 belongs to 亿元)', () => {
      const s = verbatim(xxs, '积极收集并上报“大、好、高”项目的招商引资有效线索，力争引进x个亿元以上项目。');
      expect(readTargets(s)).toEqual([
        { metric: '引进亿元以上项目', comparator: '>=', value: 'x', unit: '个' },
      ]);
    });

    it('岳阳: 主要任务指标 in the report’s order', () => {
      const s = verbatim(
        yueyang,
        '赴省进京零上访,安全生产零责任事故;各生活垃圾填埋场按时序完成生态环境问题整改任务;1个区实现生活垃圾分类全覆盖,至少4条街道基本建成生活垃圾分类示范片区;新开工生活垃圾焚烧发电项目2个,市厨余垃圾资源化利用、市建筑垃圾资源化利用2个项目建成投产;',
      );
      expect(readTargets(s).map((t) => [t.comparator, t.value, t.unit])).toEqual([
        ['=', 0, null],
        ['=', 0, null],
        ['=', 1, '个'],
        ['>=', 4, '条'],
        ['=', 2, '个'],
        ['=', 2, '个'],
      ]);
    });
  });
});

describe('rules found by reading the fixture reports (fixtures/, issue 17 acceptance)', () => {
  it.each([
    // 新增 / 新建 / 改建 deliver something: once, like 建成
    ['新增口袋公园不少于5个', 'once'],
    ['新建改建公厕不少于8座', 'once'],
    // 完成情况 / 完成率 are nouns, not the one-off verb; 年度绩效考核 is the annual assessment
    ['将任务完成情况纳入年度绩效考核，考核结果与评先评优挂钩。', 'annual'],
    ['提高任务完成率', 'ongoing'],
    // a milestone inside the year makes the duty a deliverable
    ['6月底前实现执法记录仪配发全覆盖。', 'once'],
    ['三季度开展分类成效第三方评估', 'once'],
    ['9月底前接入全市停车诱导平台', 'once'],
    // …but 年底前 / 全年 only restate the plan year
    ['年底前实现城区生活垃圾回收利用率达到35%以上。', 'ongoing'],
    ['全年行政处罚案件办结率不低于98%', 'ongoing'],
    // the continuity words 深化 / 加强 / 落实, first written wins over a later 新增
    ['深化示范片区建设，每区新增1至2个街道', 'ongoing'],
    ['加强组织领导，新建工作专班', 'ongoing'],
  ])('cadence: %s → %s', (text, cadence) => {
    expect(readCadence(text)).toBe(cadence);
  });

  it.each([
    // a deadline phrase or 保持在 around the figure is no part of the metric
    [
      '年底前建成大件垃圾拆解中心1座。',
      { metric: '建成大件垃圾拆解中心', comparator: '=', value: 1, unit: '座' },
    ],
    [
      '二季度完成主城区1200盏路灯LED改造',
      { metric: '主城区路灯LED改造', comparator: '=', value: 1200, unit: '盏' },
    ],
    [
      '6月底前完成城区x个停车场智能化改造',
      { metric: '城区停车场智能化改造', comparator: '=', value: 'x', unit: '个' },
    ],
    ['群众投诉办结率保持在x.x%以上', { metric: '群众投诉办结率', comparator: '>=', value: 'x.x', unit: '%' }],
    // an 等 that closes a list before the counted noun stays
    [
      '年内完成中山路、解放路等5条道路的立面整治',
      { metric: '中山路、解放路等道路的立面整治', comparator: '=', value: 5, unit: '条' },
    ],
    // 学时, 期 (with digits) and the 千 multiplier, kept with the count word as written
    ['全年培训时长不少于40学时。', { metric: '培训时长', comparator: '>=', value: 40, unit: '学时' }],
    [
      '组织执法人员业务培训不少于4期',
      { metric: '组织执法人员业务培训', comparator: '>=', value: 4, unit: '期' },
    ],
    [
      '接入视频监控点位1至2千个',
      { metric: '接入视频监控点位', comparator: 'range', value: '1-2', unit: '千个' },
    ],
    ['新增智慧泊位不少于x.x千个。', { metric: '新增智慧泊位', comparator: '>=', value: 'x.x', unit: '千个' }],
    // a zero target that is its own quote
    ['保持违法建设“零增长”', { metric: '违法建设增长', comparator: '=', value: 0, unit: null }],
  ])('target: %s → %p', (text, target) => {
    expect(readTargets(text)).toEqual([target]);
  });

  it.each([
    // a time limit is not an amount to deliver
    ['违规户外广告在接报后1至2个工作日内拆除'],
    ['3个月内完成整改'],
    // the figures of a bracketed explanation are not targets
    ['推行“721”工作法（70%的问题用服务手段解决，20%的问题用管理手段解决；10%的问题用执法手段解决）'],
    // a plant's capacity describes a project
    ['主动服务年产xxx万套热卷弹簧项目'],
  ])('no target: %s', (text) => {
    expect(readTargets(text)).toEqual([]);
  });
});

describe('readUnits', () => {
  const x = demoContext('xxs');
  const y = demoContext('yueyang');

  it('matches a unit by its exact name', () => {
    const s = verbatim(xxs, '完成竹峰综合执法中队办公场所规范化建设');
    expect(readUnits(s, x)).toEqual({ units: ['竹峰综合执法中队'], unitIds: ['xxs.zhufeng-squad'] });
  });

  it('matches departments by alias (住建部门 ↔ 市住建局) and keeps generic streets for the reviewer', () => {
    const s = verbatim(xxs, '会同街道办事处、住建部门建立商业广场、物管商业街环境卫生死角监管考核机制');
    expect(readUnits(s, x)).toEqual({
      units: ['街道办事处', '住建部门'],
      unitIds: [null, 'xxs.ext-housing'],
    });
  });

  it('reads every field of a department list as its own unit', () => {
    const s = verbatim(xxs, '会同公安、水利、自然资源、市场监管等部门，突出重点部位');
    expect(readUnits(s, x)).toEqual({
      units: ['公安', '水利', '自然资源', '市场监管'],
      unitIds: ['xxs.ext-police', 'xxs.ext-water', 'xxs.ext-land', 'xxs.ext-market'],
    });
    // 岳阳's unit is 市自然资源和规划局: 自然资源 is still it.
    expect(readUnits(s, y).unitIds).toEqual([
      'yueyang.ext-police',
      'yueyang.ext-water',
      'yueyang.ext-natural',
      'yueyang.ext-market',
    ]);
  });

  it('matches the districts of 岳阳 in the order written, and does not take counted streets for units', () => {
    const s = verbatim(
      yueyang,
      '深化示范片区建设,在南湖新区整区实施生活垃圾分类,在岳阳楼区、云溪区、君山区、岳阳经开区每区新增1至2个街道、城陵矶新港区新增20家企事业单位实施生活垃圾分类。',
    );
    expect(readUnits(s, y)).toEqual({
      units: ['南湖新区', '岳阳楼区', '云溪区', '君山区', '岳阳经开区', '城陵矶新港区'],
      unitIds: [
        'yueyang.nanhu',
        'yueyang.yueyanglou',
        'yueyang.yunxi',
        'yueyang.junshan',
        'yueyang.jingkai',
        'yueyang.chenglingji',
      ],
    });
    expect(readUnits('至少4条街道基本建成生活垃圾分类示范片区', y).units).toEqual([]);
  });

  it('reads 乡镇, 街道, 各区, 属地中队, xx公司, 环卫公司, 司法部门, 市城管委 and 牵头局领导', () => {
    expect(readUnits('督促乡镇、街道落实属地责任', x)).toEqual({
      units: ['乡镇', '街道'],
      unitIds: [null, null],
    });
    expect(readUnits('建立完善行政审批、属地中队监管、xx公司参与的机制', x)).toEqual({
      units: ['属地中队', 'xx公司'],
      unitIds: [null, null],
    });
    expect(readUnits('压实网格员、环卫公司工作责任', x)).toEqual({
      units: ['环卫公司'],
      unitIds: ['xxs.sanitation-co'],
    });
    // 岳阳 has no 环卫公司: proposed as new.
    expect(readUnits('压实网格员、环卫公司工作责任', y)).toEqual({ units: ['环卫公司'], unitIds: [null] });
    expect(readUnits('邀请司法部门专家、法律顾问授课辅导', x)).toEqual({
      units: ['司法部门'],
      unitIds: [null],
    });
    expect(readUnits('充分发挥市城管委统筹、协调、监督、考核等职能', y)).toEqual({
      units: ['市城管委'],
      unitIds: [null],
    });
    expect(readUnits('由牵头局领导每月调度', x)).toEqual({ units: ['牵头局领导'], unitIds: ['xxs.leaders'] });
    expect(readUnits('各区要落实属地责任', y)).toEqual({ units: ['各区'], unitIds: [null] });
  });

  it('a generic name resolves when exactly one unit of the organization fits it', () => {
    const ctx: DraftContext = {
      year: 2022,
      units: [
        { id: 'only-street', name: '东城街道办事处', kind: 'street' },
        { id: 'office', name: '办公室', kind: 'office' },
      ],
    };
    expect(readUnits('督促街道落实属地责任', ctx).unitIds).toEqual(['only-street']);
  });

  it('reads 各责任单位 as a collective for the reviewer (d-milestones 工作要求)', () => {
    expect(readUnits('各责任单位要按照时间节点倒排工期、挂图作战，每月5日前报送上月工作进展。', x)).toEqual({
      units: ['各责任单位'],
      unitIds: [null],
    });
  });

  it('lists each unit once, in order of appearance', () => {
    expect(readUnits('住建部门牵头，竹峰综合执法中队配合，住建部门督办', x).units).toEqual([
      '住建部门',
      '竹峰综合执法中队',
    ]);
  });

  it('does not read units inside quotes or words that only contain a unit name', () => {
    expect(readUnits('打造“街道样板”，统筹各区域资源', x).units).toEqual([]);
    expect(readUnits('严厉打击住建领域违法违规行为', x).units).toEqual([]);
  });

  it('builds the matcher once per unit list', () => {
    const units = demoUnits('xxs');
    const ctx = { year: 2022, units };
    const a = readUnits('会同住建部门', ctx);
    units.push({ id: 'late', name: '新设科室', kind: 'office' });
    // The memoised matcher keeps answering from the list it was built with; a new list is a new matcher.
    expect(readUnits('会同住建部门', ctx)).toEqual(a);
    expect(readUnits('新设科室牵头', { year: 2022, units: [...units] }).unitIds).toEqual(['late']);
  });
});

describe('analyseItem', () => {
  it('xx市 打违治乱: monthly, due at year end, one target', () => {
    const s = verbatim(
      xxs,
      '全力参与全市重大项目征迁专项行动,严格落实查违控违月调度机制，认真分析研究重点案件、复杂案件，严格案件的审核把关，确保案件办理合规合法，全力保障我市重点项目顺利推进，确保完成全年拆除违法建设x.x万平方米以上的工作目标。',
    );
    expect(analyseItem(s, demoContext('xxs'))).toEqual({
      cadence: 'monthly',
      deadline: '2022-12-31',
      targets: [{ metric: '拆除违法建设', comparator: '>=', value: 'x.x', unit: '万平方米' }],
      units: [],
      unitIds: [],
    });
  });

  it('drafts 4,000 items in well under 2 s', () => {
    const ctx = demoContext('yueyang');
    const sentences = yueyang.split(/(?<=[。；;])/).filter((s) => s.trim() !== '');
    const items = Array.from({ length: 4000 }, (_, i) => sentences[i % sentences.length]);
    const started = performance.now();
    for (const s of items) analyseItem(s, ctx);
    // The whole draft must take < 2 s; the phrase rules get a fraction of it.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
