import { ReminderMessage, safeLink } from './message';

/** WeCom rejects markdown content over 4096 bytes of UTF-8. */
export const WECOM_MAX_BYTES = 4096;
const ELLIPSIS = '…';

/** WeCom group robot (企业微信群机器人) markdown message; long bodies are cut, the title and link kept. */
export function wecomRequest(webhookUrl: string, m: ReminderMessage): { url: string; body: object } {
  const head = `### ${m.title}`;
  const link = safeLink(m.link);
  const tail = link ? `[查看详情](${link})` : '';
  const join = (lines: string) => [head, lines, tail].filter((s) => s !== '').join('\n');
  let content = join(m.lines.join('\n'));
  if (byteLength(content) > WECOM_MAX_BYTES) {
    const budget = WECOM_MAX_BYTES - byteLength(join('')) - 1; // 1 byte for the newline the body adds
    content =
      budget > 0 ? join(truncateUtf8(m.lines.join('\n'), budget)) : truncateUtf8(content, WECOM_MAX_BYTES);
  }
  return { url: webhookUrl, body: { msgtype: 'markdown', markdown: { content } } };
}

export function wecomAccepted(status: number, body: unknown): boolean {
  return (
    status === 200 &&
    typeof body === 'object' &&
    body !== null &&
    (body as { errcode?: unknown }).errcode === 0
  );
}

/** Cuts `s` to at most `maxBytes` of UTF-8 (ellipsis included) on a code point boundary. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  const limit = maxBytes - byteLength(ELLIPSIS);
  let out = '';
  let used = 0;
  // for…of walks code points, so a surrogate pair is never split.
  for (const ch of s) {
    const size = byteLength(ch);
    if (used + size > limit) break;
    out += ch;
    used += size;
  }
  return limit >= 0 ? out + ELLIPSIS : '';
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
