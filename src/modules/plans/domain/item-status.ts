/**
 * Lifecycle of an item (具体事项):
 *   draft → assigned → in_progress → awaiting_closeout → closed
 *   awaiting_closeout → in_progress   销号被退回
 *   closed → in_progress              回头看 reopens it
 *   any open status → suspended | cancelled, with a reason
 *   suspended → assigned | in_progress (the status it was suspended from) | cancelled, with a reason
 *   cancelled is final.
 * Some of these moves belong to a workflow with its own request, decision and record (statusChange);
 * the generic status change refuses them.
 */
import { ITEM_STATUS_ZH, type ItemStatus } from './types';

export const OPEN_STATUSES = ['draft', 'assigned', 'in_progress', 'awaiting_closeout'] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** Statuses a suspended item may resume to; the caller passes the one it was suspended from. */
export const RESUME_STATUSES = ['assigned', 'in_progress'] as const;

export function isOpen(status: ItemStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly ItemStatus[]).includes(status);
}

const FORWARD: Partial<Record<ItemStatus, readonly ItemStatus[]>> = {
  draft: ['assigned'],
  assigned: ['in_progress'],
  in_progress: ['awaiting_closeout'],
  awaiting_closeout: ['closed', 'in_progress'],
  closed: ['in_progress'],
  suspended: RESUME_STATUSES,
};

function needsReason(to: ItemStatus): boolean {
  return to === 'suspended' || to === 'cancelled';
}

export function canTransition(from: ItemStatus, to: ItemStatus): boolean {
  if (from === to || from === 'cancelled') return false;
  if (needsReason(to)) {
    // A suspended item may still be dropped for good without first being resumed.
    return isOpen(from) || (from === 'suspended' && to === 'cancelled');
  }
  return FORWARD[from]?.includes(to) ?? false;
}

export type TransitionResult = { ok: true } | { ok: false; message: string };

/** Checks a status change; `reason` is required for 暂停 and 取消 because it is what the dispatch office reads. */
export function transition(from: ItemStatus, to: ItemStatus, reason?: string): TransitionResult {
  if (from === 'cancelled') return { ok: false, message: '已取消的事项不能再变更状态' };
  if (from === to) return { ok: false, message: `事项已是“${ITEM_STATUS_ZH[to]}”状态` };
  if (!canTransition(from, to)) {
    if (from === 'suspended') {
      return { ok: false, message: '已暂停的事项只能恢复为“已分派”或“推进中”，或者取消' };
    }
    return {
      ok: false,
      message: `事项不能从“${ITEM_STATUS_ZH[from]}”变更为“${ITEM_STATUS_ZH[to]}”`,
    };
  }
  if (needsReason(to) && (reason === undefined || reason.trim() === '')) {
    return { ok: false, message: '暂停或取消必须填写原因' };
  }
  return { ok: true };
}

/** Who changes an item's status through the generic status change (`POST /items/:id/status`). */
export type StatusChanger = 'office' | 'head';

export type StatusChangeResult =
  { ok: true } | { ok: false; refusal: 'invalid' | 'workflow' | 'forbidden'; message: string };

/**
 * The move owned by a workflow, with the way to go, or null. 销号 is decided by the dispatch office on
 * a close-out request, and reopening a closed item is its 回头看: a plain status change would skip
 * the request, the evidence and the decision.
 */
export function statusWorkflow(from: ItemStatus, to: ItemStatus): string | null {
  if (to === 'awaiting_closeout') return '事项转为“待销号”须提交销号申请（附佐证材料）';
  if (from === 'awaiting_closeout' && to === 'closed') return '事项销号须由督查室审核销号申请';
  if (from === 'awaiting_closeout' && to === 'in_progress')
    return '待销号的事项须由督查室驳回销号申请后回到“推进中”';
  if (from === 'closed' && to === 'in_progress') return '已销号的事项只能由督查室重新打开（回头看）';
  return null;
}

/** Suspending, cancelling and resuming change the plan's commitments: the dispatch office decides. */
function officeOnly(from: ItemStatus, to: ItemStatus): boolean {
  return needsReason(to) || from === 'suspended';
}

/**
 * The generic status change: a lifecycle move (transition), not one owned by a workflow, and by
 * someone allowed to make it. The lead unit's head may only put an item to work (已分派, 推进中);
 * admins and the dispatch office may also suspend, resume and cancel (with a reason).
 */
export function statusChange(
  from: ItemStatus,
  to: ItemStatus,
  by: StatusChanger,
  reason?: string,
): StatusChangeResult {
  const lifecycle = transition(from, to, reason);
  if (!canTransition(from, to) && !lifecycle.ok)
    return { ok: false, refusal: 'invalid', message: lifecycle.message };
  const workflow = statusWorkflow(from, to);
  if (workflow) return { ok: false, refusal: 'workflow', message: workflow };
  if (by === 'head' && officeOnly(from, to))
    return { ok: false, refusal: 'forbidden', message: '暂停、恢复和取消事项由督查室决定' };
  return lifecycle.ok ? lifecycle : { ok: false, refusal: 'invalid', message: lifecycle.message };
}

/**
 * The status a suspended item resumes to. One awaiting close-out loses its request when suspended
 * (requests lapse with the item), so it resumes in progress.
 */
export function resumeStatusFor(from: ItemStatus): ItemStatus {
  return from === 'awaiting_closeout' ? 'in_progress' : from;
}
