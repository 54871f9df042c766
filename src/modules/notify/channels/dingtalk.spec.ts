import { createHmac } from 'node:crypto';
import { dingtalkAccepted, dingtalkRequest } from './dingtalk';
import { sampleMessage } from './message.fixtures';

const HOOK = 'https://oapi.dingtalk.com/robot/send?access_token=abc123';

describe('dingtalkRequest', () => {
  it('builds a markdown message and leaves the URL alone without a secret', () => {
    const { url, body } = dingtalkRequest(HOOK, null, sampleMessage(), 1654041600000);
    expect(url).toBe(HOOK);
    expect(body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '【催办】开展违停整治行动：已逾期 3 个工作日',
        text: [
          '### 【催办】开展违停整治行动：已逾期 3 个工作日',
          '事项：开展违停整治行动',
          '完成时限：2022-06-30',
          '已逾期：3 个工作日',
          '[查看详情](https://duban.example.gov.cn/items/42)',
        ].join('\n\n'),
      },
    });
  });

  it('appends timestamp and the URL-encoded signature DingTalk documents', () => {
    const now = 1654041600005;
    const secret = 'SECtest';
    const { url } = dingtalkRequest(HOOK, secret, sampleMessage(), now);
    // Vector from Python: quote_plus(b64encode(hmac.new(secret, f"{ts}\n{secret}", sha256).digest()))
    expect(url).toBe(
      `${HOOK}&timestamp=1654041600005&sign=%2FxMBPU%2B44qCkgMvxI5JPYSLT2%2BTPQp6mg1e8PPkki%2F8%3D`,
    );

    const b64 = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
    const sign = new URL(url).searchParams.get('sign');
    expect(sign).toBe(b64); // searchParams decodes it back to the raw base64
  });

  it('starts the query with "?" when the URL has none', () => {
    const { url } = dingtalkRequest('https://oapi.dingtalk.com/robot/send', 'SECtest', sampleMessage(), 1);
    expect(url).toMatch(/^https:\/\/oapi\.dingtalk\.com\/robot\/send\?timestamp=1&sign=[A-Za-z0-9%]+$/);
  });

  it('drops a non-http link instead of rendering it', () => {
    const { body } = dingtalkRequest(HOOK, null, sampleMessage({ link: 'javascript:alert(1)' }), 1);
    expect(JSON.stringify(body)).not.toContain('javascript');
  });
});

describe('dingtalkAccepted', () => {
  it('is true only for HTTP 200 with errcode 0', () => {
    expect(dingtalkAccepted(200, { errcode: 0, errmsg: 'ok' })).toBe(true);
    expect(dingtalkAccepted(200, { errcode: 310000, errmsg: 'sign not match' })).toBe(false);
    expect(dingtalkAccepted(200, 'ok')).toBe(false);
    expect(dingtalkAccepted(200, null)).toBe(false);
    expect(dingtalkAccepted(500, { errcode: 0 })).toBe(false);
  });
});
