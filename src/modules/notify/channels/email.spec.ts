import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createSmtpTransport, emailMessage } from './email';
import { ReminderMessage } from './message';

const message: ReminderMessage = {
  key: 'reminder-item42-2022-06-remind',
  level: 'remind',
  title: '【提醒】开展违停整治行动：3 个工作日后到期',
  lines: ['事项：开展违停整治行动', '完成时限：2022-06-30'],
  link: 'https://duban.example.gov.cn/items/42?tab=reports&x=1',
  occurredAt: '2022-06-27T01:00:00.000Z',
};
const addr = { from: '督办系统 <duban@example.gov.cn>', to: 'owner@example.gov.cn' };

describe('emailMessage', () => {
  it('uses the title as subject, plain text as text and the key as Message-ID', () => {
    const mail = emailMessage(message, addr);
    expect(mail).toMatchObject({
      from: addr.from,
      to: addr.to,
      subject: '【提醒】开展违停整治行动：3 个工作日后到期',
      text: [
        '【提醒】开展违停整治行动：3 个工作日后到期',
        '',
        '事项：开展违停整治行动',
        '完成时限：2022-06-30',
        '查看：https://duban.example.gov.cn/items/42?tab=reports&x=1',
      ].join('\n'),
      messageId: '<reminder-item42-2022-06-remind@duban>',
      headers: { 'X-Duban-Key': 'reminder-item42-2022-06-remind' },
    });
    expect(mail.html).toContain('<h3>【提醒】开展违停整治行动：3 个工作日后到期</h3>');
    expect(mail.html).toContain(
      '<a href="https://duban.example.gov.cn/items/42?tab=reports&amp;x=1">查看详情</a>',
    );
  });

  it('escapes HTML in the title and lines, and drops a javascript: link', () => {
    const mail = emailMessage(
      { ...message, title: '<script>alert("x")</script>', lines: ['A & B <b>'], link: 'javascript:alert(1)' },
      addr,
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).toContain('<p>A &amp; B &lt;b&gt;</p>');
    expect(mail.html).not.toContain('javascript');
  });

  it('keeps the subject on one line', () => {
    expect(emailMessage({ ...message, title: '第一行\r\nBcc: evil@example.com' }, addr).subject).toBe(
      '第一行 Bcc: evil@example.com',
    );
  });
});

describe('createSmtpTransport', () => {
  it('is never pooled, even if the URL asks for it', () => {
    const transport = createSmtpTransport('smtp://user:pw@127.0.0.1:2525?pool=true');
    expect(transport.transporter.constructor.name).toBe('SMTPTransport');
    transport.close();
  });

  it('refuses a bad URL without echoing it (it may hold a password)', () => {
    expect(() => createSmtpTransport('smtp://user:hunter2@[bad')).toThrow(/^SMTP 服务地址格式不正确$/);
    expect(() => createSmtpTransport('http://mail.example.com')).toThrow('smtp://');
  });

  it('delivers the message to an SMTP server with its Message-ID and key header', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`);
    try {
      const info = await transport.sendMail(emailMessage(message, addr));
      expect(info.messageId).toBe('<reminder-item42-2022-06-remind@duban>');
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^Message-ID: <reminder-item42-2022-06-remind@duban>\r$/m);
      expect(received[0]).toMatch(/^X-Duban-Key: reminder-item42-2022-06-remind\r$/m);
      expect(received[0]).toMatch(/^Subject: =\?UTF-8\?/m);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
