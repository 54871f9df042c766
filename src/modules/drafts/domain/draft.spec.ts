import { readFileSync } from 'fs';
import { join } from 'path';
import { draftFromText } from './draft';
import { DraftBody, DraftItem, DraftParseError, DraftTarget, UnitRef } from './types';

// The repository's own copies of the two public reports (seeds/data/source-documents/README.md).
const DOCS = join(__dirname, '..', '..', '..', '..', 'seeds', 'data', 'source-documents');
const DOC_000 = readFileSync(join(DOCS, '000_05d2b2c07432a0b9.txt'), 'utf8');
const DOC_001 = readFileSync(join(DOCS, '001_6cb42317fb5cf8d5.txt'), 'utf8');
const FIXTURES = join(__dirname, 'fixtures');

/** The xxs demo organization's units (seeds/data/organizations.yaml), with made-up ids. */
const XXS_UNITS: UnitRef[] = [
  '局领导',
  '办公室',
  '督查室',
  '机关党委',
  '法制科',
  '市容科',
  '环卫科',
  '行政审批科',
  '智慧城管指挥中心',
  '查违控违办公室',
  '砂石资源管理办公室',
  '综合执法大队',
  '竹峰综合执法中队',
  '东城街道综合执法中队',
  '西城街道综合执法中队',
  '南城街道综合执法中队',
  '建设领域执法中队',
  '环卫公司',
  '户外广告运营公司',
  '东城街道办事处',
  '西城街道办事处',
  '南城街道办事处',
  '市住建局',
  '市公安局',
  '市水利局',
  '市自然资源局',
  '市市场监管局',
].map((name, i) => ({
  id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  name,
  kind: 'office',
}));
const unitName = (id: string | null): string | null => XXS_UNITS.find((u) => u.id === id)?.name ?? null;

function items(draft: DraftBody): DraftItem[] {
  return draft.sections.flatMap((s) => s.tasks.flatMap((t) => t.items));
}

/** The span property: every item's text is exactly the source's words at its span. */
function expectSpans(source: string, draft: DraftBody): void {
  for (const item of items(draft)) {
    expect(item.span).not.toBeNull();
    expect(source.slice(item.span![0], item.span![1])).toBe(item.text);
  }
}

/** The one item of the draft whose text contains `words`. */
function itemWith(draft: DraftBody, words: string): DraftItem {
  const found = items(draft).filter((i) => i.text.includes(words));
  expect(found).toHaveLength(1);
  return found[0];
}

type Outline = [string | null, string, [string, string | null, string, string[]][]][];

/** Sections → [kind, numbering, title, each item's first 8 characters] per task. */
function outline(draft: DraftBody): Outline {
  return draft.sections.map((s) => [
    s.numbering,
    s.title,
    s.tasks.map((t) => [t.kind, t.numbering, t.title, t.items.map((i) => i.text.slice(0, 8))]),
  ]);
}

/**
 * Every sentence (split at 。；) of [from, to) that is not a heading and not listed in `notItems` lies inside some
 * item's span (a leading 一是/二是… marker aside): the draft loses no assignable sentence.
 */
function expectCovered(source: string, draft: DraftBody, from: number, to: number, notItems: string[]): void {
  const spans = items(draft).map((i) => i.span!);
  const missing: string[] = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && !'。；;'.includes(source[i])) continue;
    let s = start;
    let e = i;
    start = i + 1;
    while (s < e && /\s/.test(source[s])) s++;
    while (e > s && /\s/.test(source[e - 1])) e--;
    const sentence = source.slice(s, e);
    if (sentence === '' || /(^|\n)[（(][一二三四五六七八九十]+[)）]/.test(sentence)) continue; // a heading
    if (notItems.some((n) => sentence.includes(n))) continue;
    const marker = /^[一二三四五六七八九十]是/.exec(sentence);
    if (marker) s += marker[0].length;
    if (!spans.some(([a, b]) => a <= s && e <= b)) missing.push(sentence);
  }
  expect(missing).toEqual([]);
}

describe('draftFromText: doc 000 (xx市城管执法局, 2021 review + 2022 plan)', () => {
  const draft = draftFromText(DOC_000, { year: 2022, units: XXS_UNITS });

  it('gives the five parts of "二、2022年工作目标和重点任务" as sections with exactly its 21 key tasks in order, then the catch-all', () => {
    // Written by reading the text: each task's items are its sentences (no 一是 markers in the 2022 part).
    const expected: Outline = [
      [
        '一、',
        '坚持党的领导总要求，在赓续前行中强化使命担当',
        [
          ['task', '（一）', '强化政治引领', ['始终坚持把政治建', '认真落实“三会一', '巩固拓展党史学习']],
          [
            'task',
            '（二）',
            '强化学习教育',
            ['坚持局党组理论中', '采用“请进来、走', '以对标融入xx为', '举办宣传工作培训'],
          ],
          ['task', '（三）', '建强战斗堡垒', ['压紧压实党建工作', '举办党务工作培训', '大力培育品牌党建']],
          ['task', '（四）', '激发队伍活力', ['完成竹峰综合执法', '树立正确用人导向', '进一步发挥好工会']],
          ['task', '（五）', '强化廉政建设', ['把全面从严治党贯', '探索干部职工“八', '严格财务管理、规']],
        ],
      ],
      [
        '二、',
        '坚持精细管理总龙头，在固强补弱中强化守正创新',
        [
          ['task', '（一）', '开展市容提质行动', ['常态化推进文明城', '拓展“城管+商户', '严格落实每周明确']],
          [
            'task',
            '（二）',
            '开展环卫提效行动',
            [
              '建立完善科学合理',
              '常态化开展自查自',
              '通过“柔性自治”',
              '完成“x.xx”',
              '优化居民小区生活',
              '抓实城区未硬化停',
              '坚持“小切口”切',
              '会同街道办事处、',
              '深入推进直管公厕',
              '持续开展内河清淤',
            ],
          ],
          [
            'task',
            '（三）',
            '开展打违治乱行动',
            ['按照网格化管理模', '全力参与全市重大', '认真履行主体责任'],
          ],
          [
            'task',
            '（四）',
            '开展户外广告治理行动',
            ['修订《xx市户外', '强化城区户外广告', '加大户外广告整治'],
          ],
          ['task', '（五）', '开展违停整治行动', ['认真落实《城区静', '牵头推进停车场建']],
          [
            'task',
            '（六）',
            '实施城市更新行动',
            ['按照“量力而行、', '推进宁城路公共空', '制定太阳能、空调', '建立健全城区建筑'],
          ],
        ],
      ],
      [
        '三、',
        '坚持数字赋能总牵引，在做优做强中强化发展动能',
        [
          [
            'task',
            '（一）',
            '做大智慧城管建设',
            ['按照“数字xx”', '优化资源配置，通', '建立城市管理综合', '规范城市管理代整'],
          ],
          ['task', '（二）', '做细小区综合治理', ['严格按照《xx市', '充分发挥和运用“']],
          [
            'task',
            '（三）',
            '做强砂石资源管理',
            ['严格落实市委、市', '督促乡镇、街道落', '加大执法力度，深'],
          ],
          [
            'task',
            '（四）',
            '做实要素保障根基',
            [
              '主动服务xxxx',
              '广泛宣传发动，积',
              '坚持“可知可控、',
              '全面落实新《安全',
              '充分发挥安全生产',
              '常态化开展扫黑除',
            ],
          ],
        ],
      ],
      [
        '四、',
        '坚持为民服务总目标，在排忧解难中强化工作效能',
        [
          ['task', '（一）', '切实改进工作作风', ['认真贯彻落实省、', '坚持选树先进典型']],
          ['task', '（二）', '持续优化营商环境', ['持续深化“放管服', '改进服务理念和管', '巩固政务公开“两']],
          [
            'task',
            '（三）',
            '开展为民实践活动',
            [
              '进一步深化“为民',
              '按照疏堵结合的原',
              '持续规范“地摊经',
              '贯彻落实“xxx',
              '适时开展城市管理',
              '按照“主动发声、',
              '落实《局领导信访',
              '大力支持xx城管',
            ],
          ],
        ],
      ],
      [
        '五、',
        '坚持依法行政总开关，在晒权晾责中强化执法水平',
        [
          [
            'task',
            '（一）',
            '强化执法能力',
            ['持续推进“八五”', '每月开展一次集中', '严格落实一线执法', '组织新进人员申领'],
          ],
          [
            'task',
            '（二）',
            '坚持依法行政',
            [
              '动态调整xxxx',
              '严格落实重大行政',
              '规范网上办案程序',
              '继续实行行政处罚',
              '扎实做好听证、行',
              '依托行政调解室，',
            ],
          ],
          ['task', '（三）', '推进信用建设', ['规范准确地向市级', '积极开展信用修复']],
          ['other', null, '统筹做好其他工作', ['进一步统筹做好爱', '认真落实上级交办']],
        ],
      ],
    ];
    expect(outline(draft)).toEqual(expected);
    expect(draft.sections.flatMap((s) => s.tasks).filter((t) => t.kind === 'task')).toHaveLength(21);
  });

  it('holds the span property for every item', () => {
    expectSpans(DOC_000, draft);
  });

  it('leaves out the 2021 review (with its own nested 一、…七、), the 总体要求 paragraph and the closing', () => {
    const planPart = DOC_000.indexOf('二、2022年工作目标和重点任务');
    const guidingStart = DOC_000.indexOf('2022年是实施“十四五”规划的重要一年');
    const guidingEnd = DOC_000.indexOf('围绕目标，重点抓好以下五个方面工作');
    const closing = DOC_000.indexOf('同志们，蓝图已绘就');
    expect(planPart).toBeGreaterThan(0);
    for (const item of items(draft)) {
      expect(item.span![0]).toBeGreaterThan(guidingEnd);
      expect(item.span![1]).toBeLessThanOrEqual(closing);
      expect(item.span![0] >= guidingStart && item.span![0] < guidingEnd).toBe(false);
    }
    // Sentences of the review's 一是… lists are nowhere in the draft.
    expect(items(draft).some((i) => i.text.includes('2021年'))).toBe(false);
    expect(items(draft).some((i) => i.text.includes('强化党建引领，提升执法队伍能力'))).toBe(false);
  });

  it('covers every sentence of the 2022 key tasks, the broken lines of （三）做强砂石资源管理 included', () => {
    const from = DOC_000.indexOf('一、坚持党的领导总要求');
    const catchAll = DOC_000.indexOf('在全力抓好上述重点工作任务的同时');
    expectCovered(DOC_000, draft, from, catchAll, []);
    const sand = draft.sections[2].tasks[2].items[0];
    expect(sand.text).toBe(
      '严格落实市委、市政府关于加强\n全市砂石资源管理一系列举措，加强砂石资源日常监管，做到日\n常巡查全覆盖，车辆检查不间断，信息互通常态化。',
    );
  });

  it('puts the catch-all paragraph in an "other" task at the end of the last section, one item per duty', () => {
    const last = draft.sections[4].tasks.at(-1)!;
    expect(last).toMatchObject({ kind: 'other', numbering: null, title: '统筹做好其他工作' });
    expect(last.items.map((i) => i.text)).toEqual([
      '进一步统筹做好爱国卫生、林（河）长制、机要保密、双拥、档案管理等工作',
      '认真落实上级交办事项，促进城市管理各项工作统筹协调发展。',
    ]);
  });

  it('reads targets, cadences, deadlines and units through the whole draft (written by reading the text)', () => {
    const task = draft.sections[1].tasks[2];
    expect(task.title).toBe('开展打违治乱行动');
    const demolition = task.items.find((i) => i.text.includes('拆除违法建设x.x万平方米以上'))!;
    expect(demolition).toMatchObject({
      cadence: 'monthly', // 查违控违月调度机制
      deadline: '2022-12-31', // 全年
      targets: [{ metric: '拆除违法建设', comparator: '>=', value: 'x.x', unit: '万平方米' }],
    });
    const read = (words: string) => {
      const i = itemWith(draft, words);
      return [i.cadence, i.deadline, i.targets, i.units, i.unitIds.map(unitName)];
    };
    expect(read('每月开展一次集中学法活动')).toEqual(['monthly', null, [], ['司法部门'], [null]]);
    expect(read('将每周三下午定为“领导信访接待日”')).toEqual(['weekly', null, [], [], []]);
    expect(read('积极采取月督查、季考核的方式')).toEqual(['monthly', null, [], [], []]);
    expect(read('确保全年无安全生产事故')).toEqual([
      'ongoing',
      '2022-12-31',
      [{ metric: '安全生产事故', comparator: '=', value: 0, unit: null }],
      [],
      [],
    ]);
    expect(read('完成竹峰综合执法中队办公场所规范化建设')).toEqual([
      'once',
      null,
      [],
      ['竹峰综合执法中队', '综合执法中队'],
      ['竹峰综合执法中队', null],
    ]);
    expect(read('会同街道办事处、住建部门')).toEqual([
      'ongoing',
      null,
      [],
      ['街道办事处', '住建部门'],
      [null, '市住建局'],
    ]);
    expect(read('持续开展内河清淤和保洁工作')).toEqual(['ongoing', null, [], [], []]);
    expect(read('修订《xx市户外广告管理办法》')).toEqual(['once', null, [], [], []]);
  });

  it('titles an item by the duty, not by a clause that only gives the approach or the topic', () => {
    const title = (words: string) => itemWith(draft, words).title;
    expect(title('坚持“小切口”切入')).toBe('启动生活垃圾分类试点工作');
    expect(title('坚持“可知可控、精准防控”')).toBe('常态化抓好疫情防控工作');
    expect(title('广泛宣传发动')).toBe('积极收集并上报“大、好、高”项目的招商引资有效线索');
    expect(title('按照网格化管理模式')).toBe('实行分区包片责任制');
    // a bracket inside the clause is kept: it is part of the name
    expect(title('认真落实《城区静态交通秩序综合管理机制（试行）》')).toBe(
      '认真落实《城区静态交通秩序综合管理机制（试行）》',
    );
  });

  it('titles items by their first clause', () => {
    expect(draft.sections[0].tasks[0].items.map((i) => i.title)).toEqual([
      '始终坚持把政治建设摆在首位',
      '认真落实“三会一课”、组织生活会、民主生活会',
      '巩固拓展党史学习教育成果',
    ]);
  });
});

describe('draftFromText: doc 001 (岳阳市城管局, 2021 review + 2022 plan)', () => {
  const draft = draftFromText(DOC_001, { year: 2022, units: [] });

  it('gives 主要任务指标 + the five tasks of 三、 + the three of 四、, items per 一是 clause or sentence', () => {
    const expected: Outline = [
      [
        '二、',
        '研判当前形势,明确2022年城管工作思路任务',
        [
          [
            'indicators',
            null,
            '主要任务指标',
            [
              '全国文明城市、国',
              '赴省进京零上访,',
              '各生活垃圾填埋场',
              '1个区实现生活垃',
              '新开工生活垃圾焚',
              '争创全市综合绩效',
            ],
          ],
        ],
      ],
      [
        '三、',
        '奋发2022年,稳中求进推动城管事业高质量发展',
        [
          [
            'task',
            '(一)',
            '坚持强基固本,切实加强顶层设计',
            ['开展要素普查,明', '清理完善法规,强', '编制专项规划,重'],
          ],
          [
            'task',
            '(二)',
            '坚持品质提升,全力改善市容市貌',
            ['推进市容环境治理', '严格规范执法行为', '加强园林绿化管理', '提升设施运行水平'],
          ],
          [
            'task',
            '(三)',
            '坚持改革创新,提升城市治理效能',
            [
              '进一步理顺城管体',
              '进一步发挥考核“',
              '进一步升级智慧城',
              '进一步健全执法协',
              '进一步推进市场化',
            ],
          ],
          [
            'task',
            '(四)',
            '坚持民生至上,持续增进市民福祉',
            [
              '开展城市内涝治理',
              '缓解“停车难”问',
              '扩面提率生活垃圾',
              '加强燃气稳定保供',
              '赋能乡村振兴。统',
            ],
          ],
          [
            'task',
            '(五)',
            '坚持底线思维,统筹好安全与发展',
            ['落实意识形态工作', '做实常态化疫情防', '夯实安全稳定防线', '抓实生态环境治理'],
          ],
        ],
      ],
      [
        '四、',
        '强化党建引领,推动各项任务落地见效',
        [
          [
            'task',
            '(一)',
            '深化党史学习教育',
            ['持续巩固深化拓展', '始终把学习贯彻习', '夯实党建基础,创', '深化“我为群众办'],
          ],
          [
            'task',
            '(二)',
            '坚持正确用人导向',
            [
              '强化“重品德”的',
              '强化“重才干”的',
              '强化“重担当”的',
              '强化“重实绩”的',
              '强化“重公认”的',
              '贯彻落实“三个区',
              '完成新组建局属事',
            ],
          ],
          [
            'task',
            '(三)',
            '落实全面从严治党',
            [
              '强化“四责协同”',
              '把纪律和规矩挺在',
              '坚持以党内监督带',
              '落实清廉湖南建设',
              '扛起巡察整改的政',
            ],
          ],
        ],
      ],
    ];
    expect(outline(draft)).toEqual(expected);
  });

  it('reads the acceptance targets, cadences and deadlines through the whole draft (written by reading the text)', () => {
    const indicators = draft.sections[0].tasks[0].items;
    expect(indicators.map((i) => i.targets)).toEqual([
      [],
      [
        { metric: '赴省进京上访', comparator: '=', value: 0, unit: null },
        { metric: '安全生产责任事故', comparator: '=', value: 0, unit: null },
      ],
      [],
      [
        { metric: '区实现生活垃圾分类全覆盖', comparator: '=', value: 1, unit: '个' },
        { metric: '街道基本建成生活垃圾分类示范片区', comparator: '>=', value: 4, unit: '条' },
      ],
      [
        { metric: '新开工生活垃圾焚烧发电项目', comparator: '=', value: 2, unit: '个' },
        {
          metric: '市厨余垃圾资源化利用、市建筑垃圾资源化利用项目建成投产',
          comparator: '=',
          value: 2,
          unit: '个',
        },
      ],
      [],
    ]);
    const sorting = itemWith(draft, '扩面提率生活垃圾分类');
    expect(sorting.title).toBe('扩面提率生活垃圾分类');
    expect(sorting.targets).toContainEqual({
      metric: '岳阳楼区、云溪区、君山区、岳阳经开区每区新增街道',
      comparator: 'range',
      value: '1-2',
      unit: '个',
    });
    expect(sorting.cadence).toBe('ongoing'); // 深化示范片区建设: the leading verb is continuous work
    // 年内发布施行: due at the plan year's end; 对各类规划开展年度评估: the annual cadence
    expect(itemWith(draft, '均在年内发布施行')).toMatchObject({ cadence: 'annual', deadline: '2022-12-31' });
    // 全国文明城市…建设达标通过测评: a one-off, no figure
    expect(indicators[0]).toMatchObject({ cadence: 'once', deadline: null, targets: [] });
  });

  it('makes the six ；-separated indicators the items of an indicators task in "二、研判当前形势…"', () => {
    expect(draft.sections[0].tasks).toHaveLength(1);
    expect(draft.sections[0].tasks[0].items.map((i) => i.text)).toEqual([
      '全国文明城市、国家卫生城市、国家园林城市建设达标通过测评',
      '赴省进京零上访,安全生产零责任事故',
      '各生活垃圾填埋场按时序完成生态环境问题整改任务',
      '1个区实现生活垃圾分类全覆盖,至少4条街道基本建成生活垃圾分类示范片区',
      '新开工生活垃圾焚烧发电项目2个,市厨余垃圾资源化利用、市建筑垃圾资源化利用2个项目建成投产',
      '争创全市综合绩效考评先进单位、全省城市管理综合执法先进单位',
    ]);
  });

  it('holds the span property for every item', () => {
    expectSpans(DOC_001, draft);
  });

  it('takes each 一是 clause whole, without its marker, and titles it by its first clause', () => {
    const first = draft.sections[1].tasks[0].items[0];
    expect(first.text.startsWith('开展要素普查,明家底。对市政设施')).toBe(true);
    expect(first.text.endsWith('为提高城市规划、设计、建设、管理水平提供有力指导。')).toBe(true);
    expect(first.title).toBe('开展要素普查');
    // the sentence after the last clause of （一） belongs to 三是
    expect(draft.sections[1].tasks[0].items[2].text.endsWith('促进规划更好落实落地。')).toBe(true);
  });

  it('leaves out the 2021 review, the situation analysis, the six slogan paragraphs and the closing', () => {
    const part = DOC_001.indexOf('二、研判当前形势');
    const closing = DOC_001.indexOf('同志们,“追风赶月莫停留');
    for (const item of items(draft)) {
      expect(item.span![0]).toBeGreaterThan(part);
      expect(item.span![1]).toBeLessThanOrEqual(closing);
    }
    const all = items(draft)
      .map((i) => i.text)
      .join('\n');
    for (const left of ['一年来', '最揪心的问题', '用绣花功夫管好城市', '实现名扬天下', '以“功成不必在我']) {
      expect(all).not.toContain(left);
    }
  });

  it('covers every assignable sentence of 三、 and 四、 (the lead-ins that frame a 一是 list excepted)', () => {
    const from = DOC_001.indexOf('三、奋发2022年');
    const to = DOC_001.indexOf('同志们,“追风赶月莫停留');
    expectCovered(DOC_001, draft, from, to, [
      // section lead-ins
      '三、奋发2022年',
      '我们要保持定力不折腾',
      '重点抓好五个方面工作',
      '四、强化党建引领',
      '全体“城管人”要始终坚持党的领导',
      // task lead-ins before 一是
      '城市管理要素底数、法规政策、专项规划是我们城市管理的工作指南',
      '根据《城市容貌标准(GB50449-2008)》《岳阳市城市容貌标准》,加强城市容貌建设与管理',
      '注重先立后破,稳扎稳打,创新创效',
      '弘扬忧乐精神,坚守民本情怀',
      '安全一失万无,必须坚持系统观念和底线思维',
    ]);
  });
});

/** Every item states all it carries: written by reading the text, compared exactly. */
interface ExpectedItem {
  text: string;
  cadence: string;
  deadline: string | null;
  targets: DraftTarget[];
  units: string[];
  /** The organization unit each of `units` matches, by name (XXS_UNITS), or null (proposed as new). */
  unitIds: (string | null)[];
  /** Only for a 任务分解表 row: its 牵头单位. */
  leadUnit?: string | null;
}
interface Expected {
  year: number;
  sections: {
    numbering: string | null;
    title: string;
    tasks: { kind: string; numbering: string | null; title: string; items: ExpectedItem[] }[];
  }[];
}

/** The draft in the expected file's shape: unit ids as unit names; leadUnit only where the expectation names it. */
function asExpected(draft: DraftBody, expected: Expected): Expected {
  return {
    year: expected.year,
    sections: draft.sections.map((s, si) => ({
      numbering: s.numbering,
      title: s.title,
      tasks: s.tasks.map((t, ti) => ({
        kind: t.kind,
        numbering: t.numbering,
        title: t.title,
        items: t.items.map((i, ii) => {
          const want = expected.sections[si]?.tasks[ti]?.items[ii];
          const got: ExpectedItem = {
            text: i.text,
            cadence: i.cadence,
            deadline: i.deadline,
            targets: i.targets,
            units: i.units,
            unitIds: i.unitIds.map(unitName),
          };
          if (want && 'leadUnit' in want) got.leadUnit = unitName(i.leadUnitId);
          return got;
        }),
      })),
    })),
  };
}

describe('draftFromText: report texts in the genre’s other styles (fixtures/)', () => {
  const cases: [string, string][] = [
    ['a-numbered.txt', 'a-numbered.expected.json'],
    ['b-table-lines.txt', 'b-table.expected.json'],
    ['b-table-tsv.txt', 'b-table.expected.json'],
    ['c-prose.txt', 'c-prose.expected.json'],
    ['d-milestones.txt', 'd-milestones.expected.json'],
  ];
  it.each(cases)('%s gives %s', (file, expectedFile) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const expected = JSON.parse(readFileSync(join(FIXTURES, expectedFile), 'utf8')) as Expected;
    const draft = draftFromText(text, { year: expected.year, units: XXS_UNITS });
    expect(asExpected(draft, expected)).toEqual(expected);
    expectSpans(text, draft);
  });

  it('reads CRLF line ends, a BOM and full-width digits without shifting any offset', () => {
    const plain = readFileSync(join(FIXTURES, 'a-numbered.txt'), 'utf8');
    const windows =
      '\uFEFF' +
      plain
        .replace(/\n/g, '\r\n')
        .replace(/^(\d)\./gm, (_, d: string) => `${String.fromCharCode(d.charCodeAt(0) + 0xfee0)}．`);
    expect(windows).toContain('\r\n２．深化生活垃圾分类');
    const a = draftFromText(plain, { year: 2023, units: [] });
    const b = draftFromText(windows, { year: 2023, units: [] });
    expectSpans(windows, b);
    expect(items(b).map((i) => i.text)).toEqual(items(a).map((i) => i.text));
    expect(b.sections.flatMap((s) => s.tasks.map((t) => t.numbering))).toEqual([
      '１．',
      '２．',
      '３．',
      '４．',
      '１．',
      '２．',
    ]);
  });

  it('titles items by the duty: a closing explanation in brackets and a topic-only clause left out', () => {
    const a = draftFromText(readFileSync(join(FIXTURES, 'a-numbered.txt'), 'utf8'), {
      year: 2023,
      units: [],
    });
    expect(itemWith(a, '推行“721”工作法').title).toBe('推行“721”工作法');
    const d = draftFromText(readFileSync(join(FIXTURES, 'd-milestones.txt'), 'utf8'), {
      year: 2023,
      units: [],
    });
    expect(itemWith(d, '对进度滞后的项目').title).toBe('实行每月通报、季度约谈');
  });

  it('drops a framing statement in a task without 一是 markers (c-prose: 安全生产是…的重中之重)', () => {
    const text = readFileSync(join(FIXTURES, 'c-prose.txt'), 'utf8');
    const draft = draftFromText(text, { year: 2023, units: [] });
    expect(items(draft).some((i) => i.text.includes('重中之重'))).toBe(false);
  });
});

describe('draftFromText: 任务分解表 variants', () => {
  it('inside a key task, gives one item per row with the row’s units and 完成时限', () => {
    const text = [
      '一、2023年重点工作',
      '（一）开展市容整治。',
      '序号\t工作任务\t牵头单位\t责任单位\t完成时限',
      '1\t整治占道经营\t市容科\t东城街道办事处\t3月底前',
      '2\t清理乱贴乱画\t综合执法大队\t西城街道办事处、南城街道办事处\t二季度',
    ].join('\n');
    const draft = draftFromText(text, { year: 2023, units: XXS_UNITS });
    expect(draft.sections[0].tasks).toHaveLength(1);
    const [a, b] = draft.sections[0].tasks[0].items;
    expect([a.text, a.deadline, unitName(a.leadUnitId), a.coUnitIds.map(unitName)]).toEqual([
      '整治占道经营',
      '2023-03-31',
      '市容科',
      ['东城街道办事处'],
    ]);
    expect([b.text, b.deadline, unitName(b.leadUnitId), b.coUnitIds.map(unitName)]).toEqual([
      '清理乱贴乱画',
      '2023-06-30',
      '综合执法大队',
      ['西城街道办事处', '南城街道办事处'],
    ]);
    expectSpans(text, draft);
  });

  it('with a 具体内容 column, groups rows by 工作任务 (an empty 工作任务 cell continues the group)', () => {
    const text = [
      '序号\t工作任务\t具体内容\t牵头单位\t完成时限',
      '1\t背街小巷整治\t完成10条背街小巷改造\t市容科\t6月底前',
      '2\t\t新增停车泊位200个以上\t市容科\t年底前',
      '3\t垃圾分类\t新增示范小区5个\t环卫科\t年内',
    ].join('\n');
    const draft = draftFromText(text, { year: 2023, units: XXS_UNITS });
    expect(outline(draft)).toEqual([
      [
        null,
        '重点任务',
        [
          ['task', '1', '背街小巷整治', ['完成10条背街小', '新增停车泊位20']],
          ['task', '3', '垃圾分类', ['新增示范小区5个']],
        ],
      ],
    ]);
    expect(items(draft).map((i) => i.deadline)).toEqual(['2023-06-30', '2023-12-31', '2023-12-31']);
    expectSpans(text, draft);
  });
});

describe('draftFromText: outline by context', () => {
  it('tells a nested 一、 list from the next top-level section by numbering and by what the heading names', () => {
    const text = [
      '一、2022年工作回顾',
      '一、市容明显改善。全年整治占道经营x起。',
      '二、2023年工作安排',
      '（一）深化市容整治。完成10条道路立面整治。',
      '（二）推进垃圾分类。新增示范小区5个。',
    ].join('\n');
    const draft = draftFromText(text, { year: 2023, units: [] });
    expect(outline(draft)).toEqual([
      [
        '二、',
        '2023年工作安排',
        [
          ['task', '（一）', '深化市容整治', ['完成10条道路立']],
          ['task', '（二）', '推进垃圾分类', ['新增示范小区5个']],
        ],
      ],
    ]);
  });

  it('reads a year written 二〇二三 and a 去年 review', () => {
    const text = [
      '一、去年工作情况',
      '（一）市容明显改善。全年整治占道经营x起。',
      '二、二〇二三年工作安排',
      '（一）深化市容整治。完成10条道路立面整治。',
    ].join('\n');
    const draft = draftFromText(text, { year: 2023, units: [] });
    expect(draft.sections.map((s) => s.title)).toEqual(['二〇二三年工作安排']);
  });

  it('keeps a section after the plan year’s part that names no year, and drops 指导思想', () => {
    const text = [
      '一、指导思想',
      '（一）坚持以人民为中心。始终把群众满意作为标准。',
      '二、2023年主要任务',
      '（一）深化市容整治。完成10条道路立面整治。',
      '三、保障措施',
      '（一）加强组织领导。成立工作专班。',
    ].join('\n');
    const draft = draftFromText(text, { year: 2023, units: [] });
    expect(draft.sections.map((s) => s.title)).toEqual(['2023年主要任务', '保障措施']);
  });
});

describe('draftFromText: item markers', () => {
  it('takes 1./2. lines and （1）（2） inside a （一） task, and 一是… in a part without task headings, one item each', () => {
    const text = [
      '一、2023年重点工作',
      '（一）开展市容整治。主要抓好以下工作：',
      '1.完成10条背街小巷改造，新增停车泊位200个以上。',
      '2.开展占道经营专项整治。',
      '（二）推进垃圾分类。（1）新增示范小区5个；（2）建成大件垃圾处置中心1座。',
      '二、强化党建引领。一是深化理论学习，每月开展一次集中学习。二是推进支部标准化建设。',
    ].join('\n');
    const draft = draftFromText(text, { year: 2023, units: [] });
    expect(
      draft.sections.map((s) => [
        s.numbering,
        s.title,
        s.tasks.map((t) => [t.numbering, t.title, t.items.map((i) => i.text)]),
      ]),
    ).toEqual([
      [
        '一、',
        '2023年重点工作',
        [
          [
            '（一）',
            '开展市容整治',
            ['完成10条背街小巷改造，新增停车泊位200个以上。', '开展占道经营专项整治。'],
          ],
          ['（二）', '推进垃圾分类', ['新增示范小区5个', '建成大件垃圾处置中心1座。']],
        ],
      ],
      [
        '二、',
        '强化党建引领',
        [[null, '强化党建引领', ['深化理论学习，每月开展一次集中学习。', '推进支部标准化建设。']]],
      ],
    ]);
    expectSpans(text, draft);
  });
});

describe('draftFromText: errors', () => {
  it.each(['', '   \n\t\r\n　'])('an empty text (%j) → 报告内容为空', (text) => {
    expect(() => draftFromText(text, { year: 2022, units: [] })).toThrow(new DraftParseError('报告内容为空'));
  });

  it('a text without any outline → a clear Chinese message', () => {
    const text = '今天天气很好。我们去公园散步，看到了很多花。';
    expect(() => draftFromText(text, { year: 2022, units: [] })).toThrow(DraftParseError);
    expect(() => draftFromText(text, { year: 2022, units: [] })).toThrow(/未能识别出报告的任务结构/);
  });

  it('a report that only reviews past years → names the year it looked for', () => {
    const text = '一、2021年工作回顾\n（一）市容明显改善。全年整治占道经营x起。';
    expect(() => draftFromText(text, { year: 2022, units: [] })).toThrow(/未能找到2022年的工作部分/);
  });
});
