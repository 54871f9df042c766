import { cadenceLabel, parseCadence } from './cadence';
import { CADENCES } from './types';

describe('parseCadence', () => {
  it.each([
    ['每周', 'weekly'],
    ['周', 'weekly'],
    ['每月', 'monthly'],
    ['月度', 'monthly'],
    ['月调度', 'monthly'],
    ['每季度', 'quarterly'],
    ['季度', 'quarterly'],
    ['季', 'quarterly'],
    ['每年', 'annual'],
    ['年度', 'annual'],
    ['一年一次', 'annual'],
    ['常态化', 'ongoing'],
    ['长期', 'ongoing'],
    ['持续', 'ongoing'],
    ['长效', 'ongoing'],
    ['一次性', 'once'],
    ['一次', 'once'],
    ['单次', 'once'],
  ])('reads %p as %p', (text, cadence) => {
    expect(parseCadence(text)).toBe(cadence);
  });

  it('reads the English codes themselves, in any case', () => {
    for (const c of CADENCES) expect(parseCadence(c)).toBe(c);
    expect(parseCadence(' Monthly ')).toBe('monthly');
  });

  it('reads longer phrases from plan sheets', () => {
    expect(parseCadence('每月25日前报送')).toBe('monthly');
    expect(parseCadence('每季度一次')).toBe('quarterly');
    expect(parseCadence('长效 管理')).toBe('ongoing');
  });

  it('takes the most frequent period when an ongoing item also names one', () => {
    expect(parseCadence('常态化开展，每周巡查')).toBe('weekly');
    expect(parseCadence('每月调度、每周巡查')).toBe('weekly');
  });

  it('is null for blank or unrecognizable text', () => {
    expect(parseCadence('')).toBeNull();
    expect(parseCadence('   ')).toBeNull();
    expect(parseCadence('按需')).toBeNull();
  });
});

describe('cadenceLabel', () => {
  it('gives the Chinese label of each cadence', () => {
    expect(CADENCES.map(cadenceLabel)).toEqual(['一次性', '每周', '每月', '每季度', '每年', '常态化']);
  });

  it('round-trips through parseCadence', () => {
    for (const c of CADENCES) expect(parseCadence(cadenceLabel(c))).toBe(c);
  });
});
