import { api, call, type Schemas } from '../api/client';
import type { paths } from '../api/schema';

export type Item = Schemas['ItemDto'];
/** An item as the list pages show it: a list row (GET /items?view=row); a full ItemDto is one too. */
export type ItemRow = Schemas['ItemRowDto'];
type ItemsQuery = NonNullable<paths['/api/v1/items']['get']['parameters']['query']>;

/**
 * GET /items as list rows (`view=row`: the fields the list pages render, without the text, targets and
 * co-units of the full ItemDto): the lists' payload and SQL are smaller (issue 19).
 */
export function listItems(query: Omit<ItemsQuery, 'view'>): Promise<Schemas['ItemRowPageDto']> {
  // The document types GET /items by its default view; with view=row the page is an ItemRowPageDto.
  return call(
    api.GET('/api/v1/items', { params: { query: { ...query, view: 'row' } } }),
  ) as Promise<unknown> as Promise<Schemas['ItemRowPageDto']>;
}
export type ItemStatus = Item['status'];
export type TodoKind = 'report_due' | 'returned' | 'due_soon' | 'overdue';
export type LightFilter = 'red' | 'yellow' | 'green' | 'none';

/** Item statuses in the bureau's words (the server's own table), in workflow order (the filter lists them so). */
export { ITEM_STATUS_ZH as ITEM_STATUS_NAMES } from '../../../src/modules/plans/domain/types';

export const STATUS_COLORS: Partial<Record<ItemStatus, string>> = {
  assigned: 'blue',
  in_progress: 'processing',
  awaiting_closeout: 'purple',
  closed: 'success',
  suspended: 'default',
  cancelled: 'default',
};

/** The 工作台 lists (GET /items?todo=…). */
export const TODO_NAMES: Record<TodoKind, string> = {
  report_due: '待填报',
  returned: '已退回',
  due_soon: '即将到期',
  overdue: '已逾期',
};

export const LIGHT_NAMES: Record<LightFilter, string> = {
  red: '红灯',
  yellow: '黄灯',
  green: '绿灯',
  none: '未亮灯',
};

export const REPORT_STATUS: Record<string, { text: string; color: string }> = {
  draft: { text: '草稿未提交', color: 'default' },
  submitted: { text: '已提交待审核', color: 'processing' },
  returned: { text: '被退回', color: 'error' },
  approved: { text: '已审核通过', color: 'success' },
};

/**
 * A list's total as the page shows it: the server counts exactly up to 1000 rows past the page and says
 * `totalCapped` beyond that ("1000+"; GET /items `exactTotal` for an exact figure).
 */
export function totalText(n: number, page?: { totalCapped?: boolean }): string {
  return `${n}${page?.totalCapped ? '+' : ''}`;
}

/** "（一）开展市容提质行动" — a tree node with its numbering, as the plan document prints it. */
export function numbered(node: { numbering?: string | null; title: string }): string {
  return `${node.numbering ?? ''}${node.title}`;
}

/** Whether the caller still has to act on the item's next report (not started, draft or returned). */
export function reportOpen(item: Pick<ItemRow, 'nextReport'>): boolean {
  const s = item.nextReport?.status ?? null;
  return !!item.nextReport && (s === null || s === 'draft' || s === 'returned');
}

/** Message levels (NotificationDto.level) as the inbox shows them. */
export const MESSAGE_LEVELS: Record<string, { text: string; color: string }> = {
  remind: { text: '提醒', color: 'blue' },
  urge: { text: '催办', color: 'orange' },
  supervise: { text: '督办', color: 'red' },
  digest: { text: '每日汇总', color: 'default' },
  notice: { text: '审核通知', color: 'green' },
};
