import { createHmac, timingSafeEqual } from 'node:crypto';
import { assertReminderKey, ReminderMessage, safeLink } from './message';

/** Generic JSON webhook, signed like Stripe/GitHub: HMAC-SHA256 over "<unix seconds>.<raw body>". */
export function webhookRequest(
  url: string,
  secret: string,
  m: ReminderMessage,
  now: number,
): { url: string; body: string; headers: Record<string, string> } {
  assertReminderKey(m.key);
  const { key, level, title, lines, orderNumber, occurredAt } = m;
  const body = JSON.stringify({ key, level, title, lines, link: safeLink(m.link), orderNumber, occurredAt });
  const timestamp = String(Math.floor(now / 1000));
  return {
    url,
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'idempotency-key': key,
      'x-duban-timestamp': timestamp,
      'x-duban-signature': `sha256=${sign(secret, timestamp, body)}`,
    },
  };
}

/** Any 2xx counts as delivered; redirects are not followed, so a 3xx is a failure like any other. */
export function webhookAccepted(status: number): boolean {
  return status >= 200 && status < 300;
}

function sign(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface VerifyWebhookInput {
  /** The raw request body exactly as received (not re-serialised JSON). */
  body: string | Buffer;
  /** X-Duban-Timestamp header. */
  timestamp: string | undefined;
  /** X-Duban-Signature header, "sha256=<hex>". */
  signature: string | undefined;
  secret: string;
  nowSeconds: number;
  /** Older or newer timestamps are refused, so a captured request cannot be replayed later. */
  toleranceSeconds?: number;
}

/** Receiver-side reference check; docs/WEBHOOKS.md describes the same steps. */
export function verifyWebhookSignature(input: VerifyWebhookInput): boolean {
  const { body, timestamp, signature, secret, nowSeconds, toleranceSeconds = 300 } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature ?? '');
  if (!match) return false;
  const expected = Buffer.from(sign(secret, timestamp, body), 'hex');
  // Both are 32 bytes here, which timingSafeEqual requires.
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
