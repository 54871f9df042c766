/**
 * What the demo's monthly dispatch meetings decide, per organization and cycle: the 交办 actions
 * (each becomes an item through the meeting service) and how each one fares afterwards.
 * quick: done and closed before its deadline; late: closed a few days after it; open: still under
 * way on the demo day; overdue: past its deadline and not closed (催办 reaches the lead unit's head).
 */
export type ActionFate = 'quick' | 'late' | 'open' | 'overdue';

export interface ActionSpec {
  title: string;
  content: string;
  leadUnit: string;
  owner: string;
  leader: string;
  /** Working days after the meeting, or a fixed date. */
  deadline: number | string;
  fate: ActionFate;
}

export const MEETING_DECISIONS = [
  '对进度滞后、缺报漏报的单位，由分管领导进行约谈。',
  '逾期事项实行周调度，督查室每周通报进展情况。',
  '各单位于每月填报截止前完成自查，确保填报数据真实准确。',
  '对已销号事项开展“回头看”，防止问题反弹。',
];

export const ACTIONS: Record<string, Record<string, ActionSpec[]>> = {
  xxs: {
    '01': [
      {
        title: '春节后市容秩序集中整治',
        content: '针对春节后主次干道占道经营、乱堆乱放反弹问题，开展为期两周的市容秩序集中整治。',
        leadUnit: 'cityscape',
        owner: 'xxs.cityscape',
        leader: 'xxs.liming',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '背街小巷环境卫生专项清理',
        content: '组织环卫力量对城区背街小巷、老旧小区开展环境卫生专项清理，清除卫生死角。',
        leadUnit: 'sanitation',
        owner: 'xxs.sanitation',
        leader: 'xxs.zhaogang',
        deadline: 10,
        fate: 'late',
      },
    ],
    '02': [
      {
        title: '东城片区占道经营专项整治',
        content: '东城街道中队牵头，对学校、医院、农贸市场周边占道经营开展专项整治。',
        leadUnit: 'dongcheng-squad',
        owner: 'xxs.dongcheng1',
        leader: 'xxs.liming',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '渣土运输车辆夜间联合执法',
        content: '联合公安交警开展渣土运输车辆夜间联合执法，查处抛洒滴漏、未密闭运输行为。',
        leadUnit: 'construction-squad',
        owner: 'xxs.construction',
        leader: 'xxs.liming',
        deadline: 12,
        fate: 'quick',
      },
    ],
    '03': [
      {
        title: '户外广告招牌安全隐患排查',
        content: '汛期前对主要街道户外广告招牌开展安全隐患排查，督促设置单位限期整改。',
        leadUnit: 'cityscape',
        owner: 'xxs.cityscape',
        leader: 'xxs.liming',
        deadline: 10,
        fate: 'late',
      },
      {
        title: '竹峰片区违规停车整治',
        content: '竹峰中队牵头，对竹峰片区人行道违规停车开展集中整治，施划停车泊位。',
        leadUnit: 'zhufeng-squad',
        owner: 'xxs.zhufeng',
        leader: 'xxs.liming',
        deadline: 12,
        fate: 'quick',
      },
    ],
    '04': [
      {
        title: '主次干道违停整治回头看',
        content: '对前期违停整治路段开展“回头看”，巩固整治成果，防止反弹。',
        leadUnit: 'brigade',
        owner: 'xxs.xicheng1',
        leader: 'xxs.liming',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '智慧城管超期案件清理',
        content: '清理智慧城管平台超期未结案件，逐件明确责任单位和办结时限。',
        leadUnit: 'smart',
        owner: 'xxs.smart',
        leader: 'xxs.chenjing',
        deadline: '2022-06-30',
        fate: 'open',
      },
    ],
    '05': [
      {
        title: '竹峰市场周边流动摊贩整治',
        content: '竹峰中队对竹峰农贸市场周边流动摊贩开展整治，设置临时疏导点。',
        leadUnit: 'zhufeng-squad',
        owner: 'xxs.zhufeng1',
        leader: 'xxs.liming',
        deadline: '2022-06-10',
        fate: 'overdue',
      },
      {
        title: '汛期城市排水设施巡查',
        content: '汛期前对城区排水管网、雨水口开展巡查清掏，建立问题台账。',
        leadUnit: 'sanitation',
        owner: 'xxs.sanitation',
        leader: 'xxs.zhaogang',
        deadline: '2022-06-30',
        fate: 'open',
      },
    ],
  },
  yueyang: {
    '01': [
      {
        title: '春节期间市容秩序保障',
        content: '做好春节期间主要街道、商圈市容秩序保障，严控占道经营和乱摆乱放。',
        leadUnit: 'cityscape',
        owner: 'yy.cityscape',
        leader: 'yy.huangwei',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '城区主干道垃圾收运专项检查',
        content: '对城区主干道垃圾收运及时率、密闭化情况开展专项检查，通报检查结果。',
        leadUnit: 'sanitation-center',
        owner: 'yy.sanitationcenter',
        leader: 'yy.huangwei',
        deadline: 10,
        fate: 'late',
      },
    ],
    '02': [
      {
        title: '城区渍水点排查整治',
        content: '汛前对城区易渍水点开展排查，制定“一点一策”整治方案。',
        leadUnit: 'planning',
        owner: 'yy.planning',
        leader: 'yy.luoping',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '餐饮场所燃气安全隐患排查',
        content: '联合华润燃气对餐饮场所燃气使用安全开展拉网式排查，督促整改隐患。',
        leadUnit: 'gas',
        owner: 'yy.gas',
        leader: 'yy.tangmin',
        deadline: 12,
        fate: 'quick',
      },
    ],
    '03': [
      {
        title: '户外广告设施安全检查',
        content: '对全市大型户外广告设施开展安全检查，建立隐患整改台账。',
        leadUnit: 'cityscape',
        owner: 'yy.cityscape',
        leader: 'yy.huangwei',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '岳阳楼区占道经营整治',
        content: '岳阳楼区对重点路段占道经营、店外经营开展集中整治。',
        leadUnit: 'yueyanglou',
        owner: 'yy.yueyanglou1',
        leader: 'yy.huangwei',
        deadline: 10,
        fate: 'late',
      },
    ],
    '04': [
      {
        title: '汛前排水管网清疏',
        content: '汛前完成中心城区主要排水管网清疏，确保排水通畅。',
        leadUnit: 'planning',
        owner: 'yy.planning',
        leader: 'yy.luoping',
        deadline: 12,
        fate: 'quick',
      },
      {
        title: '建筑工地扬尘执法检查',
        content: '对在建工地扬尘防治“六个百分百”落实情况开展执法检查。',
        leadUnit: 'enforcement',
        owner: 'yy.enforcement1',
        leader: 'yy.tangmin',
        deadline: '2022-06-30',
        fate: 'open',
      },
    ],
    '05': [
      {
        title: '渣土车违规运输整治',
        content: '对渣土车未密闭、抛洒滴漏和不按规定路线行驶开展专项整治。',
        leadUnit: 'enforcement',
        owner: 'yy.enforcement1',
        leader: 'yy.tangmin',
        deadline: '2022-06-10',
        fate: 'overdue',
      },
      {
        title: '南湖夜市经营秩序规范',
        content: '规范南湖新区夜市经营秩序，划定经营区域和时段，落实门前责任。',
        leadUnit: 'nanhu',
        owner: 'yy.nanhu',
        leader: 'yy.huangwei',
        deadline: '2022-06-30',
        fate: 'open',
      },
    ],
  },
};

/** Within a working week of a plan's owner being assigned, a head may hand the item to a member. */
export const REASSIGNMENTS: Record<string, { title: string; to: string; by: string }[]> = {
  xxs: [
    { title: '落实"门前五包"示范路段', to: 'xxs.zhufeng1', by: 'xxs.brigade' },
    { title: '持续开展联合执法进小区行动', to: 'xxs.dongcheng1', by: 'xxs.brigade' },
    { title: '持续开展停车秩序专项整治', to: 'xxs.xicheng1', by: 'xxs.brigade' },
  ],
  yueyang: [{ title: '健全住建领域执法协作和日常监察机制', to: 'yy.enforcement1', by: 'yy.enforcement' }],
};
