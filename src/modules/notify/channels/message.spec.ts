import { assertReminderKey, isValidReminderKey, LEVEL_ZH, plainText, safeLink } from './message';
import { sampleMessage } from './message.fixtures';

describe('plainText', () => {
  it('puts the title, a blank line, the lines and a "查看" link line', () => {
    expect(plainText(sampleMessage())).toBe(
      [
        '【催办】开展违停整治行动：已逾期 3 个工作日',
        '',
        '事项：开展违停整治行动',
        '完成时限：2022-06-30',
        '已逾期：3 个工作日',
        '查看：https://duban.example.gov.cn/items/42',
      ].join('\n'),
    );
  });

  it('has no link line when there is no link', () => {
    expect(plainText(sampleMessage({ link: undefined, lines: ['一行'] }))).toBe(
      '【催办】开展违停整治行动：已逾期 3 个工作日\n\n一行',
    );
  });
});

describe('reminder keys and links', () => {
  it('accepts [A-Za-z0-9_-] up to 120 characters and nothing else', () => {
    expect(isValidReminderKey('a'.repeat(120))).toBe(true);
    expect(isValidReminderKey('a'.repeat(121))).toBe(false);
    expect(isValidReminderKey('')).toBe(false);
    expect(isValidReminderKey('a:b')).toBe(false);
    expect(isValidReminderKey('a\r\nX-Evil: 1')).toBe(false);
    expect(() => assertReminderKey('坏键')).toThrow('幂等键');
  });

  it('keeps only http(s) links', () => {
    expect(safeLink('https://x.example/a?b=1')).toBe('https://x.example/a?b=1');
    expect(safeLink('javascript:alert(1)')).toBeUndefined();
    expect(safeLink('https://x.example/a b')).toBeUndefined();
    expect(safeLink(undefined)).toBeUndefined();
  });

  it('names every level in Chinese', () => {
    expect(LEVEL_ZH).toEqual({ remind: '提醒', urge: '催办', supervise: '督办', digest: '每日汇总' });
  });
});
