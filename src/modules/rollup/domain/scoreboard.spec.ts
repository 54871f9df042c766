import type { ScoreItem } from './scoreboard';
import { buildScoreboard, competitionRanks, quartileOf, unitRoleStats, unitScore } from './scoreboard';

function item(partial: Partial<ScoreItem>): ScoreItem {
  return {
    leadUnitId: 'A',
    coUnitIds: [],
    status: 'in_progress',
    weight: 1,
    deadline: '2022-12-31',
    originalDeadline: null,
    closedOn: null,
    completion: 0,
    light: 'green',
    reports: [],
    ...partial,
  };
}

describe('unitScore', () => {
  it('is 0.5·完成率 + 0.2·按期销号率 + 0.3·按时报送率 − 0.2·红灯占比 by default', () => {
    // 40 + 10 + 27 − 2 = 75.
    expect(unitScore({ completion: 80, onTimeClose: 50, reportOnTime: 90, red: 10 })).toBe(75);
  });

  it('hands the weight of a rate that does not exist yet to the other positive terms', () => {
    // Nothing due for closing: (0.5·80 + 0.3·90) / 0.8 = 83.75, minus 2 for red.
    expect(unitScore({ completion: 80, onTimeClose: null, reportOnTime: 90, red: 10 })).toBe(81.75);
    // Only completion can be judged: the score is the completion itself.
    expect(unitScore({ completion: 64.5, onTimeClose: null, reportOnTime: null, red: 0 })).toBe(64.5);
  });

  it('is clamped to 0..100', () => {
    expect(unitScore({ completion: 5, onTimeClose: 0, reportOnTime: 0, red: 100 })).toBe(0);
    expect(
      unitScore(
        { completion: 100, onTimeClose: 100, reportOnTime: 100, red: 0 },
        { completion: 1, onTimeClose: 1, reportOnTime: 1 },
      ),
    ).toBe(100);
  });

  it('takes configured weights', () => {
    expect(
      unitScore(
        { completion: 80, onTimeClose: 50, reportOnTime: 90, red: 10 },
        { completion: 0.6, onTimeClose: 0.2, reportOnTime: 0.2, redPenalty: 1 },
      ),
    ).toBe(66); // 48 + 10 + 18 − 10
  });

  it('is null without items, or when only zero-weighted terms exist', () => {
    expect(unitScore({ completion: null, onTimeClose: null, reportOnTime: null, red: null })).toBeNull();
    expect(
      unitScore(
        { completion: 80, onTimeClose: null, reportOnTime: null, red: 0 },
        { completion: 0, onTimeClose: 1, reportOnTime: 0 },
      ),
    ).toBeNull();
  });
});

describe('competitionRanks and quartileOf', () => {
  it('ranks 1, 2, 2, 4 with no tie-break; null scores stay unranked', () => {
    expect(competitionRanks([90, 80, 80, 70, null, 80])).toEqual([1, 2, 2, 5, null, 2]);
    expect(competitionRanks([50, 50])).toEqual([1, 1]);
  });

  it('cuts quarters by the share of units ahead', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((r) => quartileOf(r, 8))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect([1, 2, 3, 4, 5].map((r) => quartileOf(r, 5))).toEqual([1, 1, 2, 3, 4]);
    expect([1, 2, 3, 4].map((r) => quartileOf(r, 4))).toEqual([1, 2, 3, 4]);
  });

  it('with fewer than four units no one is in the last quarter', () => {
    expect(quartileOf(1, 1)).toBe(1);
    expect([1, 2].map((r) => quartileOf(r, 2))).toEqual([1, 3]);
    expect([1, 2, 3].map((r) => quartileOf(r, 3))).toEqual([1, 2, 3]);
  });

  it('rejects a rank outside 1..ranked', () => {
    expect(() => quartileOf(0, 3)).toThrow(RangeError);
    expect(() => quartileOf(4, 3)).toThrow(RangeError);
  });
});

describe('unitRoleStats', () => {
  const today = '2022-07-15';
  const items: ScoreItem[] = [
    // 1. closed before its deadline
    item({
      status: 'closed',
      deadline: '2022-05-31',
      closedOn: '2022-05-20',
      completion: 100,
      reports: [{ state: 'on_time' }, { state: 'on_time' }],
    }),
    // 2. extended from 05-31 to 06-30 and closed 06-20: late on the original deadline, on time on the extended one
    item({
      status: 'closed',
      deadline: '2022-06-30',
      originalDeadline: '2022-05-31',
      closedOn: '2022-06-20',
      completion: 100,
      reports: [{ state: 'on_time' }, { state: 'late' }],
    }),
    // 3. overdue, one report missing; co-unit B
    item({
      deadline: '2022-06-30',
      completion: 60,
      light: 'red',
      coUnitIds: ['B'],
      reports: [{ state: 'missing' }],
    }),
    // 4. on its way, a little behind; co-unit B
    item({
      completion: 40,
      light: 'yellow',
      coUnitIds: ['B'],
      reports: [{ state: 'on_time' }, { state: 'due' }],
    }),
    // 5. cancelled: left out of everything, its missing report included
    item({ status: 'cancelled', light: null, deadline: '2022-03-31', reports: [{ state: 'missing' }] }),
  ];

  it('counts a lead unit: items, closings, overdue, lights, reports, completion and score', () => {
    expect(unitRoleStats('A', 'lead', items, today)).toEqual({
      items: 4,
      closed: 2,
      closedOnTime: 1,
      dueForClose: 3, // two closed + item 3 past its deadline
      onTimeClosePercent: 33.33,
      overdue: 1,
      red: 1,
      yellow: 1,
      green: 2,
      redSharePercent: 25,
      reportsDue: 6,
      reportsOnTime: 4,
      reportOnTimePercent: 66.67,
      completionMean: 75,
      // 0.5·75 + 0.2·33.33… + 0.3·66.66… − 0.2·25 = 37.5 + 6.67 + 20 − 5
      score: 59.17,
    });
  });

  it("judges 'closed on time' by the extended deadline when the plan says so", () => {
    const s = unitRoleStats('A', 'lead', items, today, { onTimeBasis: 'extended' });
    expect(s).toMatchObject({ closedOnTime: 2, onTimeClosePercent: 66.67, score: 65.83 });
  });

  it('counts a co-unit separately, over the items it supports', () => {
    expect(unitRoleStats('B', 'co', items, today)).toMatchObject({
      items: 2,
      closed: 0,
      dueForClose: 1,
      onTimeClosePercent: 0,
      overdue: 1,
      red: 1,
      yellow: 1,
      reportsDue: 2,
      reportOnTimePercent: 50,
      completionMean: 50,
      score: 30, // 25 + 0 + 15 − 10
    });
    expect(unitRoleStats('B', 'lead', items, today)).toMatchObject({
      items: 0,
      score: null,
      completionMean: null,
    });
  });

  it('weights the completion mean by item weight', () => {
    const s = unitRoleStats(
      'A',
      'lead',
      [item({ completion: 20, weight: 3 }), item({ completion: 60 })],
      today,
    );
    expect(s.completionMean).toBe(30);
  });

  it('a deadline on a holiday: overdue the next calendar day, and closing after the holiday is late', () => {
    const onHoliday = [
      item({ deadline: '2022-10-03', light: 'red' }),
      item({ status: 'closed', deadline: '2022-10-03', closedOn: '2022-10-08', completion: 100 }),
    ];
    expect(unitRoleStats('A', 'lead', onHoliday, '2022-10-05')).toMatchObject({
      overdue: 1,
      closed: 1,
      closedOnTime: 0,
      dueForClose: 2,
    });
  });

  it('a closed item without a close-out day is not counted on time', () => {
    const s = unitRoleStats('A', 'lead', [item({ status: 'closed', closedOn: null })], today);
    expect(s).toMatchObject({ closed: 1, closedOnTime: 0 });
  });
});

describe('buildScoreboard', () => {
  // No report due and nothing due for closing: each score is the unit's completion.
  const items = [
    item({ leadUnitId: 'U1', completion: 90, coUnitIds: ['U2', 'U2'] }),
    item({ leadUnitId: 'U2', completion: 80 }),
    item({ leadUnitId: 'U3', completion: 80 }),
    item({ leadUnitId: 'U4', completion: 70 }),
    item({ leadUnitId: 'U7', completion: 60 }),
    item({ leadUnitId: 'U5', status: 'suspended', light: null }),
  ];
  const board = buildScoreboard({
    unitIds: ['U4', 'U3', 'U2', 'U1', 'U5', 'U6'],
    items,
    today: '2022-06-15',
  });

  it('ranks lead units by competition ranking and colours them by quartile', () => {
    expect(board.lead.map((u) => [u.unitId, u.score, u.rank, u.quartile, u.band])).toEqual([
      ['U1', 90, 1, 1, 'green'],
      ['U3', 80, 2, 1, 'green'], // tie: same rank, listed in input order
      ['U2', 80, 2, 1, 'green'],
      ['U4', 70, 4, 3, 'yellow'],
      ['U7', 60, 5, 4, 'red'], // met only in items, still ranked
      ['U5', null, null, null, null], // only a suspended item
      ['U6', null, null, null, null], // no item at all
    ]);
  });

  it('keeps a separate co-unit board; a co-unit listed twice on one item counts once', () => {
    const u2 = board.co.find((u) => u.unitId === 'U2');
    expect(u2).toMatchObject({ items: 1, score: 90, rank: 1, quartile: 1, band: 'green' });
    expect(board.co.filter((u) => u.rank !== null)).toHaveLength(1);
  });

  it('passes plan settings through and checks them', () => {
    const b = buildScoreboard({
      unitIds: [],
      items: [item({ leadUnitId: 'U1', completion: 50, light: 'red' })],
      today: '2022-06-15',
      settings: { scoreWeights: { redPenalty: 0.5 } },
    });
    expect(b.lead[0].score).toBe(0); // 50 − 0.5·100
    expect(() =>
      buildScoreboard({
        unitIds: [],
        items,
        today: '2022-06-15',
        settings: { onTimeBasis: 'late' as never },
      }),
    ).toThrow(RangeError);
    expect(() => buildScoreboard({ unitIds: [], items, today: '15/06/2022' })).toThrow(RangeError);
  });
});
