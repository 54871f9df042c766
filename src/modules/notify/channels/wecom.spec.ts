import { truncateUtf8, WECOM_MAX_BYTES, wecomAccepted, wecomRequest } from './wecom';
import { sampleMessage } from './message.fixtures';

const HOOK = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1';
const contentOf = (body: object) => (body as { markdown: { content: string } }).markdown.content;

describe('wecomRequest', () => {
  it('builds a markdown message for the robot URL', () => {
    const { url, body } = wecomRequest(HOOK, sampleMessage());
    expect(url).toBe(HOOK);
    expect(body).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          '### 【催办】开展违停整治行动：已逾期 3 个工作日',
          '事项：开展违停整治行动',
          '完成时限：2022-06-30',
          '已逾期：3 个工作日',
          '[查看详情](https://duban.example.gov.cn/items/42)',
        ].join('\n'),
      },
    });
  });

  it('cuts a long body to 4096 bytes, keeping the title and the link', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `第${i + 1}项：整治违停车辆😀`);
    const content = contentOf(wecomRequest(HOOK, sampleMessage({ lines })).body);
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(WECOM_MAX_BYTES);
    expect(Buffer.byteLength(content)).toBeGreaterThan(WECOM_MAX_BYTES - 10);
    expect(content.startsWith('### 【催办】')).toBe(true);
    expect(content.endsWith('…\n[查看详情](https://duban.example.gov.cn/items/42)')).toBe(true);
    expect(content).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('truncateUtf8', () => {
  it('never splits a multi-byte character', () => {
    expect(truncateUtf8('😀😀😀', 9)).toBe('😀…'); // 4 + 3 bytes; another emoji would need 11
    expect(truncateUtf8('督办督办', 9)).toBe('督办…');
    expect(truncateUtf8('督办督办', 8)).toBe('督…');
    expect(truncateUtf8('督办', 6)).toBe('督办');
    expect(truncateUtf8('督办', 2)).toBe('');
  });
});

describe('wecomAccepted', () => {
  it('is true only for HTTP 200 with errcode 0', () => {
    expect(wecomAccepted(200, { errcode: 0, errmsg: 'ok' })).toBe(true);
    expect(wecomAccepted(200, { errcode: 93000, errmsg: 'invalid webhook url' })).toBe(false);
    expect(wecomAccepted(404, { errcode: 0 })).toBe(false);
  });
});
