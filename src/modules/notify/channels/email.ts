import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import { assertReminderKey, plainText, ReminderMessage, safeLink } from './message';

/** One reminder as an e-mail; the Message-ID comes from the key so a resend is recognisably the same mail. */
export function emailMessage(
  m: ReminderMessage,
  addr: { from: string; to: string | string[] },
): SendMailOptions {
  assertReminderKey(m.key);
  const link = safeLink(m.link);
  const html = [
    `<h3>${escapeHtml(m.title)}</h3>`,
    ...m.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link)}">查看详情</a></p>`] : []),
  ].join('\n');
  return {
    from: addr.from,
    to: addr.to,
    subject: m.title.replace(/[\r\n]+/g, ' '),
    text: plainText(m),
    html,
    messageId: `<${m.key}@duban>`,
    headers: { 'X-Duban-Key': m.key },
  };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** A plain (unpooled) SMTP transport; `pool` in the URL is ignored so idle connections are never kept open. */
export function createSmtpTransport(url: string): Transporter {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL: it usually carries the SMTP password.
    throw new Error('SMTP 服务地址格式不正确');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error('SMTP 服务地址必须以 smtp:// 或 smtps:// 开头');
  }
  parsed.searchParams.delete('pool');
  return nodemailer.createTransport({ url: parsed.href, pool: false });
}
