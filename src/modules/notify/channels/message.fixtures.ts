import { ReminderMessage } from './message';

/** The reminder the channel specs format: a 催办 of an overdue item. */
export const sampleMessage = (over: Partial<ReminderMessage> = {}): ReminderMessage => ({
  key: 'reminder-item42-2022-06-urge',
  level: 'urge',
  title: '【催办】开展违停整治行动：已逾期 3 个工作日',
  lines: ['事项：开展违停整治行动', '完成时限：2022-06-30', '已逾期：3 个工作日'],
  link: 'https://duban.example.gov.cn/items/42',
  orderNumber: '催办〔2022〕第3号',
  occurredAt: '2022-07-05T01:00:00.000Z',
  ...over,
});
