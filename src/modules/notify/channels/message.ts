/** Reminder severity, from a gentle nudge to a formal supervision notice, plus the daily digest. */
export type ReminderLevel = 'remind' | 'urge' | 'supervise' | 'digest';

/** The channel-neutral content of one reminder; each channel renders it in its own format. */
export interface ReminderMessage {
  /** Idempotency key, [A-Za-z0-9_-], at most 120 chars: sent as a header and an e-mail Message-ID. */
  key: string;
  level: ReminderLevel;
  /** e.g. "【催办】开展违停整治行动：已逾期 3 个工作日" */
  title: string;
  /** Body lines: item, deadline, days overdue, order number… */
  lines: string[];
  /** Absolute URL of the item in the web app. */
  link?: string;
  /** e.g. "催办〔2022〕第3号" */
  orderNumber?: string;
  /** ISO instant. */
  occurredAt: string;
}

export const LEVEL_ZH: Record<ReminderLevel, string> = {
  remind: '提醒',
  urge: '催办',
  supervise: '督办',
  digest: '每日汇总',
};

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,120}$/;

export function isValidReminderKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The key ends up in HTTP headers and a Message-ID, so a malformed one must never get that far. */
export function assertReminderKey(key: string): void {
  if (!isValidReminderKey(key)) {
    throw new Error('提醒消息的幂等键格式不正确（仅限字母、数字、下划线和连字符，最长 120 个字符）');
  }
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is dropped. */
export function safeLink(link: string | undefined): string | undefined {
  return link !== undefined && /^https?:\/\/[^\s]+$/i.test(link) ? link : undefined;
}

/** Title, a blank line, the body lines, then "查看：<link>" when there is a link. */
export function plainText(m: ReminderMessage): string {
  const parts = [m.title, '', ...m.lines];
  if (m.link) parts.push(`查看：${m.link}`);
  return parts.join('\n');
}
