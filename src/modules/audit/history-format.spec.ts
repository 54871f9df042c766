import { describe as describeRow } from './history-format';

describe('history-format', () => {
  const names = new Map([['11111111-1111-4111-8111-111111111111', '蒋浩']]);
  const labels = { draft: '草稿', assigned: '已分派' };

  it('names fields and values in Chinese and resolves ids to names', () => {
    const entry = describeRow(
      {
        id: '7',
        at: new Date('2022-03-02T02:00:00Z'),
        actorName: '刘洋（xxs.dispatch）',
        action: 'assign',
        before: { ownerId: null, status: 'draft', statusReason: null },
        after: { ownerId: '11111111-1111-4111-8111-111111111111', status: 'assigned', statusReason: null },
      },
      names,
      labels,
    );
    expect(entry.changes).toEqual([
      { field: 'ownerId', fieldName: '责任人', before: '（空）', after: '蒋浩' },
      { field: 'status', fieldName: '状态', before: '草稿', after: '已分派' },
    ]);
    expect(entry.summary).toBe(
      '2022-03-02 10:00 刘洋（xxs.dispatch）分派责任人：责任人由“（空）”改为“蒋浩”；状态由“草稿”改为“已分派”',
    );
  });
});
