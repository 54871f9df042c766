import { createHmac } from 'node:crypto';
import { ReminderMessage, safeLink } from './message';

/** DingTalk custom robot ("自定义机器人") markdown message, signed ("加签") when a secret is set. */
export function dingtalkRequest(
  webhookUrl: string,
  secret: string | null,
  m: ReminderMessage,
  now: number,
): { url: string; body: object } {
  const link = safeLink(m.link);
  // DingTalk markdown needs a blank line between paragraphs to break lines.
  const text = [`### ${m.title}`, ...m.lines, ...(link ? [`[查看详情](${link})`] : [])].join('\n\n');
  const body = { msgtype: 'markdown', markdown: { title: m.title, text } };
  if (!secret) return { url: webhookUrl, body };
  const sep = webhookUrl.includes('?') ? '&' : '?';
  return { url: `${webhookUrl}${sep}timestamp=${now}&sign=${dingtalkSign(secret, now)}`, body };
}

/** URL-encoded base64 HMAC-SHA256 of "timestamp\nsecret", keyed by the secret (DingTalk's documented scheme). */
export function dingtalkSign(secret: string, now: number): string {
  const digest = createHmac('sha256', secret).update(`${now}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** DingTalk answers HTTP 200 even on errors; only errcode 0 means delivered. */
export function dingtalkAccepted(status: number, body: unknown): boolean {
  return (
    status === 200 &&
    typeof body === 'object' &&
    body !== null &&
    (body as { errcode?: unknown }).errcode === 0
  );
}
