import { noticeText } from './notices';

describe('decision messages', () => {
  it('a returned report tells why, and each round of return has its own key', () => {
    const first = noticeText(
      { kind: 'report_returned', reportId: 'r1', version: 3, period: '2022-06', comment: '佐证材料不全' },
      '违停整治',
      '张三',
    );
    expect(first.title).toBe('进度报告被退回：违停整治');
    expect(first.lines.join('\n')).toContain('退回理由：佐证材料不全');
    expect(first.lines[0]).toContain('2022年6月');
    const second = noticeText(
      { kind: 'report_returned', reportId: 'r1', version: 5, period: '2022-06', comment: '再补充' },
      '违停整治',
      '张三',
    );
    expect(second.key).not.toBe(first.key);
  });

  it('approval, extension and close-out decisions name the outcome', () => {
    expect(
      noticeText({ kind: 'report_approved', reportId: 'r1', period: '2022-06' }, 'T', '张三').title,
    ).toBe('进度报告已审核通过：T');
    const ext = noticeText(
      { kind: 'extension_refused', extensionId: 'e1', to: '2022-09-30', comment: '不符合条件' },
      'T',
      '李四',
    );
    expect(ext.title).toBe('延期申请未获批准：T');
    expect(ext.lines.join('')).toContain('不符合条件');
    expect(
      noticeText({ kind: 'closeout_rejected', closeoutId: 'c1', comment: '证据不足' }, 'T', '王五').lines,
    ).toContain('驳回理由：证据不足');
  });
});
