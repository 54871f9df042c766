import type { OverdueItemDto, AtRiskItemDto, PreviousActionDto } from '../dto/dispatch-pack.dto';
import { ITEM_STATUS_ZH } from '../../plans/domain/types';

/** Written in place of the title, owner etc. of another unit's item the caller may not read. */
export const HIDDEN = '（详情不公开）';
/** Empty cell marker in the Word tables. */
export const DASH = '—';
/** Item lists longer than this are cut in the Word document; Excel keeps every row. */
export const DOCX_LIST_CAP = 200;
/** The ranking chart shows this many units. */
export const CHART_TOP_UNITS = 20;

export const ESCALATION_ZH: Record<OverdueItemDto['escalation'], string> = {
  none: DASH,
  remind: '提醒',
  urge: '催办',
  supervise: '督办',
};

const LIGHT_ZH: Record<string, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' };
const BAND_ZH: Record<string, string> = { green: '绿（前25%）', yellow: '黄（中间50%）', red: '红（后25%）' };
const STATUS_ZH: Record<string, string> = ITEM_STATUS_ZH;

/** Light-coloured fills (ARGB for Excel; Word takes the last six digits). */
export const FILL_ARGB: Record<string, string> = { red: 'FFF4CCCC', yellow: 'FFFFF2CC', green: 'FFD9EAD3' };
/** Strong colours for the chart bars. */
export const CHART_COLOUR: Record<string, string> = { red: '#D64541', yellow: '#E6A817', green: '#3A9D5D' };

export const lightZh = (light: string | null): string => (light ? (LIGHT_ZH[light] ?? light) : '');
export const bandZh = (band: string | null): string => (band ? (BAND_ZH[band] ?? band) : '');
export const statusZh = (status: string | null): string => (status ? (STATUS_ZH[status] ?? status) : '');

/** '2022-06-30' → '2022年6月30日'; anything else is returned unchanged. */
export function zhDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** '2022-06' → '2022年6月'. */
export function zhPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}

/** '2022-06' → '6月' for chart axes where the year is obvious. */
export function zhMonth(period: string): string {
  const m = /^\d{4}-(\d{2})/.exec(period);
  return m ? `${Number(m[1])}月` : period;
}

/**
 * Figures as text: at most two decimals (the roll-up rounds to two), no trailing zeros, so the Word
 * tables show exactly the JSON's numbers.
 */
export function fmtNum(n: number | null): string {
  return n === null ? '' : String(Number(n.toFixed(2)));
}

/** The 通报 / 上次遗留 marks of an overdue or at-risk item. */
export function itemMarks(item: OverdueItemDto | AtRiskItemDto, notice: ReadonlySet<string>): string {
  const marks: string[] = [];
  if (notice.has(item.itemId)) marks.push('通报');
  if (item.carriedForward) marks.push('上次遗留');
  return marks.join('、');
}

/** How a previous meeting's action stands today. */
export function actionState(a: PreviousActionDto): string {
  if (a.done) return '已销号';
  if (a.overdue) return '逾期未销号';
  return statusZh(a.status) || '办理中';
}

/** Detail columns of an item row: hidden items show the placeholder and nothing else. */
export function itemDetails(item: {
  visible: boolean;
  title: string | null;
  taskTitle?: string | null;
  owner?: string | null;
  responsibleLeader?: string | null;
}): { title: string; taskTitle: string; owner: string; responsibleLeader: string } {
  if (!item.visible) return { title: HIDDEN, taskTitle: '', owner: '', responsibleLeader: '' };
  return {
    title: item.title ?? '',
    taskTitle: item.taskTitle ?? '',
    owner: item.owner ?? '',
    responsibleLeader: item.responsibleLeader ?? '',
  };
}
