import { DomainError } from '../errors/domain-error';
import { UuidPipe, YearPipe } from './pipes';

describe('path pipes', () => {
  const id = { type: 'param' as const, data: 'id' };
  it('UuidPipe passes a UUID and names the parameter of anything else in Chinese', () => {
    const uuid = '6f1c9d2e-1111-4222-8333-444455556666';
    expect(new UuidPipe().transform(uuid, id)).toBe(uuid);
    for (const bad of ['not-an-id', '0', `${uuid}x`, 42, undefined]) {
      expect(() => new UuidPipe().transform(bad, id)).toThrow(DomainError);
    }
    try {
      new UuidPipe().transform('x', { type: 'query', data: 'ownerId' });
    } catch (e) {
      expect((e as DomainError).fields).toEqual([
        { field: 'ownerId', message: '所属单位或用户（ownerId）格式不正确，应为 UUID' },
      ]);
    }
  });

  it('YearPipe takes 2000–2100 as text or number (the global pipe may have converted it)', () => {
    const year = { type: 'param' as const, data: 'year' };
    expect(new YearPipe().transform('2022', year)).toBe(2022);
    expect(new YearPipe().transform(2022, year)).toBe(2022);
    for (const bad of ['1999', '2101', '1e400', 'Infinity', '9'.repeat(22), '２０２２', Infinity]) {
      expect(() => new YearPipe().transform(bad, year)).toThrow('年度（year）必须是 2000～2100 之间的年份');
    }
  });
});
