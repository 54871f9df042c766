/**
 * 任务分解到中队: on the plan's first day the dispatch office breaks some of the 大队's key tasks down
 * into squad-level items (the plan files stay the source documents' plan; the decomposition is work
 * done in the system, so the replay does it through the items service). Each is worked like the
 * other items: monthly reports by the squad member with a growing target actual, reviewed by the squad
 * head. `june` says what the demo day (06-15 10:00) finds of the item's June report, so that every
 * reviewer has a short queue and the README's walk-through has a June report still to fill:
 * none: not started (the walk-through's item: earlier months approved, June to be filled in the web);
 * submitted: filed early (06-13/06-14) and waiting for the head; returned: filed, returned by the head
 * on 06-14, waiting for the member to resubmit; closing: the closing report approved early in June and
 * a 销号 request with its evidence waiting for the dispatch office. `extension`: a pending 延期申请 the
 * responsible leader (or the office) decides.
 */
import type { Cadence, Comparator } from '../../src/modules/plans/domain/types';

export interface SquadItemSpec {
  /** The item's name in the script (ItemRef `squad`). */
  key: string;
  /** The key task (重点任务) it is filed under, by its title in the plan. */
  task: string;
  title: string;
  detail: string;
  leadUnit: string;
  owner: string;
  leader: string;
  cadence: Cadence;
  deadline: string;
  tags: string[];
  target: { metric: string; comparator: Comparator; value: number; unit: string };
  /** Share of the target done by now, relative to time elapsed (1 = on pace). */
  pace: number;
  june: 'none' | 'submitted' | 'returned' | 'closing';
  /** The day June's report is filed (submitted, returned, closing). */
  juneFiledOn?: string;
  extension?: { on: string; to: string };
}

export const SQUAD_ITEMS: Record<string, SquadItemSpec[]> = {
  xxs: [
    {
      key: 'zhufeng-parking',
      task: '开展违停整治行动',
      title: '竹峰片区停车秩序整治',
      detail: '竹峰综合执法中队负责竹峰片区主次干道、商圈和学校周边违停整治，规范施划停车泊位。',
      leadUnit: 'zhufeng-squad',
      owner: 'xxs.zhufeng1',
      leader: 'xxs.liming',
      cadence: 'monthly',
      deadline: '2022-12-31',
      tags: ['违停', '中队'],
      target: { metric: '查处违停', comparator: '>=', value: 600, unit: '起' },
      // Well behind (yellow: more than 20 points under 序时进度) at the demo day, so that June's report in
      // the walk-through, once approved, visibly lifts its completion and turns it green.
      pace: 0.55,
      june: 'none',
    },
    {
      key: 'zhufeng-cityscape',
      task: '开展市容提质行动',
      title: '竹峰片区市容秩序整治',
      detail: '竹峰综合执法中队负责片区内占道经营、乱堆乱放、店外经营整治，落实“门前五包”。',
      leadUnit: 'zhufeng-squad',
      owner: 'xxs.zhufeng1',
      leader: 'xxs.liming',
      cadence: 'monthly',
      deadline: '2022-12-31',
      tags: ['市容', '中队'],
      target: { metric: '规范占道经营点位', comparator: '>=', value: 120, unit: '处' },
      pace: 1.1,
      june: 'submitted',
      juneFiledOn: '2022-06-14',
    },
    {
      key: 'dongcheng-parking',
      task: '开展违停整治行动',
      title: '东城片区停车泊位施划',
      detail: '东城街道综合执法中队在老旧小区和背街小巷周边规范施划停车泊位，缓解停车难。',
      leadUnit: 'dongcheng-squad',
      owner: 'xxs.dongcheng1',
      leader: 'xxs.liming',
      cadence: 'monthly',
      deadline: '2022-12-31',
      tags: ['停车', '中队'],
      target: { metric: '施划停车泊位', comparator: '>=', value: 300, unit: '个' },
      pace: 1,
      june: 'returned',
      juneFiledOn: '2022-06-13',
    },
    {
      key: 'dongcheng-zombie',
      task: '开展违停整治行动',
      title: '东城片区“僵尸车”清理',
      detail: '东城街道综合执法中队会同交警清理辖区长期占用公共停车资源的“僵尸车”。',
      leadUnit: 'dongcheng-squad',
      owner: 'xxs.dongcheng1',
      leader: 'xxs.liming',
      cadence: 'once',
      deadline: '2022-06-30',
      tags: ['违停', '中队'],
      target: { metric: '清理“僵尸车”', comparator: '>=', value: 40, unit: '辆' },
      pace: 1,
      june: 'closing',
      juneFiledOn: '2022-06-08',
    },
    {
      key: 'xicheng-parking',
      task: '开展违停整治行动',
      title: '西城片区停车秩序整治',
      detail: '西城街道综合执法中队负责西城片区违停整治，上半年完成主次干道违停集中治理。',
      leadUnit: 'xicheng-squad',
      owner: 'xxs.xicheng1',
      leader: 'xxs.liming',
      cadence: 'monthly',
      deadline: '2022-06-30',
      tags: ['违停', '中队'],
      target: { metric: '查处违停', comparator: '>=', value: 500, unit: '起' },
      pace: 0.85,
      june: 'submitted',
      juneFiledOn: '2022-06-13',
      extension: { on: '2022-06-14', to: '2022-09-30' },
    },
  ],
  yueyang: [
    {
      key: 'police-parking',
      task: '坚持品质提升,全力改善市容市貌',
      title: '公安城管大队违停及占道经营联合执法',
      detail: '公安城管大队对城区违停、占道经营开展联合执法，每月通报查处情况。',
      leadUnit: 'police-brigade',
      owner: 'yy.police1',
      leader: 'yy.huangwei',
      cadence: 'monthly',
      deadline: '2022-12-31',
      tags: ['违停', '联合执法'],
      target: { metric: '查处违法行为', comparator: '>=', value: 800, unit: '起' },
      pace: 1,
      june: 'submitted',
      juneFiledOn: '2022-06-14',
    },
  ],
};

/** The titles of an organization's squad items: not the plan files' items (ReplayWorld numbers those). */
export function squadTitles(org: string): string[] {
  return (SQUAD_ITEMS[org] ?? []).map((s) => s.title);
}
