import { changedFields } from './diff';

describe('changedFields', () => {
  it('keeps only the keys that changed, before and after', () => {
    const before = { name: '市容科', kind: 'office', roles: ['head'], active: true };
    const after = { name: '市容管理科', kind: 'office', roles: ['head', 'viewer'], active: true };
    expect(changedFields(before, after, ['name', 'kind', 'roles', 'active'])).toEqual({
      before: { name: '市容科', roles: ['head'] },
      after: { name: '市容管理科', roles: ['head', 'viewer'] },
    });
  });

  it('is null when nothing changed, so no empty audit row is written', () => {
    expect(changedFields({ a: 1 }, { a: 1 }, ['a'])).toBeNull();
  });
});
