/**
 * The words of the demo half-year: 进展情况 / 存在问题 / 下步计划 per kind of work, review comments,
 * requests and decisions. Templates take numbers that grow month by month, so a report reads like
 * the month it belongs to. Chosen by the replay's seeded generator only.
 */
import type { Prng } from './prng';

export type WorkKind = 'party' | 'enforce' | 'sanitation' | 'project' | 'digital' | 'admin';

const KIND_WORDS: [WorkKind, RegExp][] = [
  ['party', /党|廉|干部|作风|学习|培训|群团|志愿|意识形态|巡察|乡村振兴|办实事|典型|职工/],
  ['sanitation', /环卫|垃圾|公厕|清淤|扬尘|填埋|保洁|生态/],
  ['digital', /智慧|信息化|平台|舆情|投诉|数字/],
  ['enforce', /执法|整治|违建|违法|查违|违停|停车秩序|广告|摊|砂石|扫黑|小区|门前五包|片长|秩序/],
  ['project', /项目|工程|停车|更新|规划|普查|渍水|积水|燃气|照明|园林|市政|设施|焚烧|资源化/],
];

/** The kind of work an item is, from its title and tags: it picks the vocabulary of its reports. */
export function workKind(title: string, tags: readonly string[] = []): WorkKind {
  const text = `${title} ${tags.join(' ')}`;
  return KIND_WORDS.find(([, re]) => re.test(text))?.[0] ?? 'admin';
}

interface Vocabulary {
  progress: string[];
  problems: string[];
  next: string[];
  /** Ranges of the three counts {a} {b} {c} a month. */
  a: [number, number];
  b: [number, number];
  c: [number, number];
}

const WORDS: Record<WorkKind, Vocabulary> = {
  party: {
    progress: [
      '{when}召开党组（党委）会议、理论中心组学习{a}次，组织党员干部集中学习{b}场次、参学{c}人次，“{title}”各项工作按计划推进，累计完成年度任务的{p}%。',
      '{when}围绕“{title}”制定细化措施，督促各支部落实主体责任，开展专题学习和主题党日活动{a}次，覆盖党员{c}人次；年度任务已完成{p}%。',
      '{when}结合“能力作风提升年”要求推进“{title}”，开展谈心谈话{c}人次、督导检查{a}次，发现并整改问题{b}个，累计完成{p}%。',
    ],
    problems: [
      '个别支部学习形式较单一，学用结合还不够紧密。',
      '部分党员干部参学积极性不高，学习笔记和心得质量参差不齐。',
      '基层支部台账资料不够规范，过程留痕有待加强。',
      '党建与业务工作融合还不够，特色亮点不够突出。',
    ],
    next: [
      '下步将丰富学习形式，开展专题研讨和交流发言，推动学习成果转化。',
      '下步将加强对各支部的督导检查，规范台账资料，确保各项制度落实到位。',
      '下步将结合中心工作打造党建品牌，推动党建与业务深度融合。',
    ],
    a: [2, 5],
    b: [2, 6],
    c: [40, 160],
  },
  enforce: {
    progress: [
      '{when}开展专项整治行动{a}次，出动执法人员{c}人次，查处各类违法违规行为{b}起，“{title}”累计完成年度任务的{p}%。',
      '{when}组织集中整治和夜间巡查{a}次，规范劝导{c}起，立案查处{b}起，重点路段秩序明显好转；累计完成{p}%。',
      '{when}围绕“{title}”落实网格化巡查，发现问题{c}处、已整改{b}处，开展联合执法{a}次，累计完成{p}%。',
    ],
    problems: [
      '部分路段问题反复出现，长效管控机制有待健全。',
      '执法力量与任务量不匹配，夜间和节假日管控存在薄弱时段。',
      '部门联动还不够顺畅，个别问题移交后处置较慢。',
      '个别当事人配合度低，整改周期较长。',
    ],
    next: [
      '下步将加大巡查频次，落实定人定岗定责，巩固整治成果。',
      '下步将联合公安、市场监管等部门开展联合执法，形成工作合力。',
      '下步将对反复出现的问题建立台账，实行销号管理，防止反弹。',
    ],
    a: [3, 9],
    b: [12, 60],
    c: [60, 240],
  },
  sanitation: {
    progress: [
      '{when}清运各类垃圾{c}吨，清理卫生死角{b}处，开展专项检查{a}次，“{title}”累计完成年度任务的{p}%。',
      '{when}落实“以克论净”作业标准，巡查道路{c}条次、督办整改问题{b}个，开展专项检查{a}次，累计完成{p}%。',
      '{when}围绕“{title}”推进设施维护和保洁作业，完成维护保养{b}处，督查作业{a}次，累计完成{p}%。',
    ],
    problems: [
      '个别区域垃圾乱倒问题反复，源头管控难度较大。',
      '部分环卫设施老化，维修资金压力较大。',
      '作业人员年龄偏大，精细化作业水平有待提高。',
      '雨季来临，部分低洼路段保洁难度增加。',
    ],
    next: [
      '下步将加大督查考核力度，落实奖惩，确保作业质量。',
      '下步将加快设施更新改造，优化清运线路和作业时间。',
      '下步将强化源头管控，联合属地开展集中清理行动。',
    ],
    a: [3, 8],
    b: [15, 70],
    c: [300, 1500],
  },
  project: {
    progress: [
      '{when}完成项目前期工作{a}项，召开现场推进协调会{b}次，完成投资{c}万元，“{title}”形象进度达{p}%。',
      '{when}“{title}”按节点推进，完成{a}个分项，协调解决问题{b}个，累计完成年度任务的{p}%。',
      '{when}开展现场踏勘和方案论证{b}次，完成设计、招标等前期工作{a}项，整体进度{p}%。',
    ],
    problems: [
      '项目审批手续环节较多，部分前期工作进度偏慢。',
      '受天气和疫情影响，施工有效工期不足。',
      '资金拨付进度滞后于工程进度，需协调财政部门。',
      '部分点位涉及征拆和管线迁改，协调难度较大。',
    ],
    next: [
      '下步将倒排工期、挂图作战，每周调度项目进度。',
      '下步将加强与发改、财政、自然资源等部门对接，加快办理审批手续。',
      '下步将督促施工单位增加人员和设备投入，确保按节点完成。',
    ],
    a: [1, 4],
    b: [2, 6],
    c: [80, 600],
  },
  digital: {
    progress: [
      '{when}平台受理各类城市管理案件{c}件，按期结案{b}件，“{title}”累计完成年度任务的{p}%。',
      '{when}完成系统功能模块调试{a}项，接入视频点位{b}个，处置网络舆情和投诉{c}件，累计完成{p}%。',
      '{when}围绕“{title}”开展数据治理和平台运维，派遣案件{c}件，督办超期案件{b}件，累计完成{p}%。',
    ],
    problems: [
      '部分部门案件处置超期，协同联动机制有待完善。',
      '部分视频点位老旧，识别准确率不高。',
      '系统数据标准不统一，数据共享存在壁垒。',
    ],
    next: [
      '下步将加强案件督办和考核通报，提高按期结案率。',
      '下步将推进系统迭代升级，扩大智能识别应用场景。',
      '下步将对接相关部门数据接口，推动数据共享共用。',
    ],
    a: [2, 6],
    b: [10, 40],
    c: [300, 1200],
  },
  admin: {
    progress: [
      '{when}围绕“{title}”制定工作方案，召开专题会议{a}次，完成相关文件和台账{b}份，累计完成年度任务的{p}%。',
      '{when}落实“{title}”各项要求，开展督导检查{a}次，发现问题{b}个并全部交办整改，累计完成{p}%。',
      '{when}办理相关事项{c}件，组织培训{a}场次，相关制度按计划修订完善，累计完成{p}%。',
    ],
    problems: [
      '个别科室对工作要求理解不到位，材料报送不够及时。',
      '制度执行的监督检查还需加强，个别环节存在薄弱点。',
      '人员力量相对不足，任务较重。',
    ],
    next: [
      '下步将加强统筹调度，定期通报进展，确保按时完成。',
      '下步将完善工作机制，加强培训指导和督促检查。',
      '下步将梳理问题清单，逐项明确责任人和完成时限。',
    ],
    a: [1, 5],
    b: [3, 15],
    c: [20, 120],
  },
};

export interface ReportText {
  progress: string;
  problems: string;
  nextSteps: string;
}

/**
 * One report's three texts: `when` names the period ("3月", "本周"), `percent` the completion it states;
 * its problems and next steps differ from the `previous` report's, as a new month's would.
 */
export function reportText(
  rng: Prng,
  kind: WorkKind,
  title: string,
  when: string,
  percent: number,
  scale: number,
  previous?: ReportText,
): ReportText {
  const w = WORDS[kind];
  // Counts grow with the period (scale ≈ months elapsed), so January reads smaller than May.
  const n = ([lo, hi]: [number, number]) => Math.round(rng.int(lo, hi) * (0.7 + 0.1 * scale));
  const progress = rng
    .pick(w.progress)
    .replace('{when}', when)
    .replace('{title}', title)
    .replace('{a}', String(n(w.a)))
    .replace('{b}', String(n(w.b)))
    .replace('{c}', String(n(w.c)))
    .replace('{p}', String(percent));
  const fresh = (list: string[], last?: string) => rng.pick(list.filter((x) => x !== last));
  return {
    progress,
    problems: fresh(w.problems, previous?.problems),
    nextSteps: fresh(w.next, previous?.nextSteps),
  };
}

export function closingText(title: string): ReportText {
  return {
    progress: `“${title}”各项任务已全部完成，相关台账、照片等佐证材料已整理归档，经自查达到工作要求，申请销号。`,
    problems: '无。',
    nextSteps: '下步将做好后续跟踪和长效管理，防止问题反弹。',
  };
}

export const REVISION_NOTE = '（已按审核意见补充：本期具体工作量、完成数据和佐证材料见附件台账。）';

export const RETURN_COMMENTS = [
  '进展情况过于笼统，请补充本期具体完成的工作量和数据后重新提交。',
  '存在问题未写明原因和解决措施，请补充后重新提交。',
  '进展情况与完成率不对应，请核实后重新提交。',
  '请补充佐证材料说明（照片、台账或文件）后重新提交。',
];

export const EXTENSION_REASONS = [
  '受疫情防控影响，部分现场工作无法按期开展，申请延期至{date}。',
  '该事项涉及多个部门协调，相关审批手续尚未办结，申请延期至{date}。',
];

export const EXTENSION_APPROVED = '同意延期，请倒排工期，确保在新的时限内完成。';
export const EXTENSION_REFUSED = '该事项为年度重点任务，时间节点不宜调整，请加大工作力度尽快完成。';

export const CLOSEOUT_NOTE = '已按要求完成“{title}”，相关台账、照片等佐证材料已上传，申请销号。';
export const CLOSEOUT_NOTE_AGAIN = '已按审核意见补充整改前后对比照片和验收记录，再次申请销号。';
export const CLOSEOUT_REJECTED = '佐证材料不够完整，请补充整改前后对比照片和验收记录后重新申请。';

/** A small valid PDF (the evidence type check reads its first bytes), one per close-out. */
export function evidencePdf(title: string): Buffer {
  const body = `%PDF-1.4\n% duban demo evidence\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${Buffer.from(title).toString('base64')}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
