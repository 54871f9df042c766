/**
 * In-app messages on decisions (审核结果通知), pure: who asked learns what was decided, with the reason.
 * Each decision has one key, so a retried transaction never writes a second message.
 */
import { periodName } from '../../workbench/domain/workbench';

export type DecisionNotice =
  | { kind: 'report_returned'; reportId: string; version: number; period: string; comment: string }
  | { kind: 'report_approved'; reportId: string; period: string }
  | { kind: 'extension_approved'; extensionId: string; from: string; to: string; comment: string | null }
  | { kind: 'extension_refused'; extensionId: string; to: string; comment: string }
  | { kind: 'closeout_approved'; closeoutId: string; comment: string | null }
  | { kind: 'closeout_rejected'; closeoutId: string; comment: string };

export interface NoticeText {
  /** Unique per decision (reminders.key). */
  key: string;
  title: string;
  lines: string[];
}

/** The message a decision sends to the one who asked, `by` naming the decider. */
export function noticeText(n: DecisionNotice, itemTitle: string, by: string): NoticeText {
  switch (n.kind) {
    case 'report_returned':
      return {
        // A report may be returned again after a resubmission: its version tells the rounds apart.
        key: `notice:report:${n.reportId}:returned:${n.version}`,
        title: `进度报告被退回：${itemTitle}`,
        lines: [`${periodName(n.period)}的进度填报被${by}退回，请修改后重新提交。`, `退回理由：${n.comment}`],
      };
    case 'report_approved':
      return {
        key: `notice:report:${n.reportId}:approved`,
        title: `进度报告已审核通过：${itemTitle}`,
        lines: [`${periodName(n.period)}的进度填报已由${by}审核通过。`],
      };
    case 'extension_approved':
      return {
        key: `notice:extension:${n.extensionId}`,
        title: `延期申请已批准：${itemTitle}`,
        lines: [
          `${by}批准了延期申请，完成时限由 ${n.from} 调整为 ${n.to}。`,
          ...(n.comment ? [`意见：${n.comment}`] : []),
        ],
      };
    case 'extension_refused':
      return {
        key: `notice:extension:${n.extensionId}`,
        title: `延期申请未获批准：${itemTitle}`,
        lines: [`${by}未批准延期至 ${n.to} 的申请，请按原完成时限推进。`, `意见：${n.comment}`],
      };
    case 'closeout_approved':
      return {
        key: `notice:closeout:${n.closeoutId}`,
        title: `销号申请已通过：${itemTitle}`,
        lines: [`${by}审核通过了销号申请，事项已销号。`, ...(n.comment ? [`意见：${n.comment}`] : [])],
      };
    case 'closeout_rejected':
      return {
        key: `notice:closeout:${n.closeoutId}`,
        title: `销号申请被驳回：${itemTitle}`,
        lines: [`${by}驳回了销号申请，事项恢复推进中。`, `驳回理由：${n.comment}`],
      };
  }
}
