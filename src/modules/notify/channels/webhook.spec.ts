import { createHmac } from 'node:crypto';
import { ReminderMessage } from './message';
import { verifyWebhookSignature, webhookAccepted, webhookRequest } from './webhook';

const message: ReminderMessage = {
  key: 'reminder-item42-2022-06-supervise',
  level: 'supervise',
  title: '【督办】开展违停整治行动：已逾期 10 个工作日',
  lines: ['事项：开展违停整治行动', '督办单号：督办〔2022〕第7号'],
  link: 'https://duban.example.gov.cn/items/42',
  orderNumber: '督办〔2022〕第7号',
  occurredAt: '2022-07-14T01:00:00.000Z',
};
const SECRET = 'whsec_0123456789';
const NOW_MS = 1657760400123; // 2022-07-14T01:00:00.123Z
const NOW_S = 1657760400;

describe('webhookRequest', () => {
  const req = webhookRequest('https://hooks.example.com/duban', SECRET, message, NOW_MS);

  it('sends the message fields as JSON with idempotency and timestamp headers', () => {
    expect(req.url).toBe('https://hooks.example.com/duban');
    expect(JSON.parse(req.body)).toEqual(message);
    expect(Object.keys(JSON.parse(req.body))).toEqual([
      'key',
      'level',
      'title',
      'lines',
      'link',
      'orderNumber',
      'occurredAt',
    ]);
    expect(req.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'idempotency-key': 'reminder-item42-2022-06-supervise',
      'x-duban-timestamp': '1657760400',
    });
  });

  it('signs "<seconds>.<body>" with HMAC-SHA256 of the secret', () => {
    const hex = createHmac('sha256', SECRET).update(`1657760400.${req.body}`, 'utf8').digest('hex');
    expect(req.headers['x-duban-signature']).toBe(`sha256=${hex}`);
  });

  it('omits absent optional fields', () => {
    const bare = webhookRequest(
      'https://h.example',
      SECRET,
      { ...message, link: undefined, orderNumber: undefined },
      0,
    );
    expect(JSON.parse(bare.body)).not.toHaveProperty('link');
    expect(JSON.parse(bare.body)).not.toHaveProperty('orderNumber');
    const unsafe = webhookRequest(
      'https://h.example',
      SECRET,
      { ...message, link: 'javascript:alert(1)' },
      0,
    );
    expect(JSON.parse(unsafe.body)).not.toHaveProperty('link');
  });

  it('refuses a key that could inject a header', () => {
    expect(() => webhookRequest('https://h.example', SECRET, { ...message, key: 'a\r\nx: y' }, 0)).toThrow();
  });
});

describe('verifyWebhookSignature', () => {
  const req = webhookRequest('https://hooks.example.com/duban', SECRET, message, NOW_MS);
  const input = {
    body: req.body,
    timestamp: req.headers['x-duban-timestamp'],
    signature: req.headers['x-duban-signature'],
    secret: SECRET,
    nowSeconds: NOW_S,
  };

  it('accepts what webhookRequest produced, as a string or as raw bytes', () => {
    expect(verifyWebhookSignature(input)).toBe(true);
    expect(verifyWebhookSignature({ ...input, body: Buffer.from(req.body, 'utf8') })).toBe(true);
    expect(verifyWebhookSignature({ ...input, nowSeconds: NOW_S + 300 })).toBe(true);
  });

  it('rejects a changed body, timestamp or secret', () => {
    expect(verifyWebhookSignature({ ...input, body: req.body.replace('10 个', '1 个') })).toBe(false);
    expect(verifyWebhookSignature({ ...input, timestamp: String(NOW_S + 1), nowSeconds: NOW_S + 1 })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...input, secret: 'whsec_other' })).toBe(false);
  });

  it('rejects stale or future timestamps beyond the tolerance', () => {
    expect(verifyWebhookSignature({ ...input, nowSeconds: NOW_S + 301 })).toBe(false);
    expect(verifyWebhookSignature({ ...input, nowSeconds: NOW_S - 301 })).toBe(false);
    expect(verifyWebhookSignature({ ...input, nowSeconds: NOW_S + 1000, toleranceSeconds: 1000 })).toBe(true);
  });

  it('rejects missing or malformed headers without throwing', () => {
    expect(verifyWebhookSignature({ ...input, signature: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...input, timestamp: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...input, timestamp: '1.5e9' })).toBe(false);
    expect(verifyWebhookSignature({ ...input, signature: input.signature.slice(0, -2) })).toBe(false);
    expect(verifyWebhookSignature({ ...input, signature: input.signature.replace('sha256=', 'sha1=') })).toBe(
      false,
    );
  });
});

describe('webhookAccepted', () => {
  it('is true for 2xx only', () => {
    expect([200, 201, 204, 299].map(webhookAccepted)).toEqual([true, true, true, true]);
    expect([199, 301, 302, 400, 500].map(webhookAccepted)).toEqual([false, false, false, false, false]);
  });
});
