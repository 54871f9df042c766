import type { RollupLeaf } from './aggregate';
import { rollUpPlan, summarize } from './aggregate';

function leaf(partial: Partial<RollupLeaf>): RollupLeaf {
  return {
    taskId: 't1',
    status: 'in_progress',
    weight: 1,
    completion: 0,
    expected: 50,
    light: 'green',
    ...partial,
  };
}

describe('summarize', () => {
  it('is the weight-weighted mean of completion, closed items counting 100', () => {
    // (1·100 + 3·20) / 4 = 40; the closed item's stale 70 is not used.
    const s = summarize([
      leaf({ status: 'closed', completion: 70, weight: 1, expected: 100 }),
      leaf({ completion: 20, weight: 3, light: 'yellow', expected: 60 }),
    ]);
    expect(s).toEqual({
      items: 2,
      excluded: 0,
      weight: 4,
      completion: 40,
      expected: 70, // (100 + 3·60) / 4
      light: 'yellow',
      counts: { red: 0, yellow: 1, green: 1 },
    });
  });

  it('takes the worst light and counts items per colour', () => {
    const s = summarize([
      leaf({ light: 'green' }),
      leaf({ light: 'red' }),
      leaf({ light: 'yellow' }),
      leaf({ light: 'red' }),
    ]);
    expect(s.light).toBe('red');
    expect(s.counts).toEqual({ red: 2, yellow: 1, green: 1 });
  });

  it('leaves cancelled and suspended items out of every figure', () => {
    const s = summarize([
      leaf({ completion: 60, weight: 2 }),
      leaf({ status: 'cancelled', completion: 0, weight: 5, light: null, expected: 100 }),
      leaf({ status: 'suspended', completion: 0, weight: 5, light: null, expected: 100 }),
    ]);
    expect(s).toEqual({
      items: 1,
      excluded: 2,
      weight: 2,
      completion: 60,
      expected: 50,
      light: 'green',
      counts: { red: 0, yellow: 0, green: 1 },
    });
  });

  it('gives null completion and null light when no item is counted', () => {
    expect(summarize([])).toEqual({
      items: 0,
      excluded: 0,
      weight: 0,
      completion: null,
      expected: null,
      light: null,
      counts: { red: 0, yellow: 0, green: 0 },
    });
    expect(summarize([leaf({ status: 'cancelled', light: null })])).toMatchObject({
      items: 0,
      excluded: 1,
      completion: null,
      light: null,
    });
  });

  it('rejects a weight that is not positive', () => {
    expect(() => summarize([leaf({ weight: 0 })])).toThrow(RangeError);
    expect(() => summarize([leaf({ weight: Number.NaN })])).toThrow(RangeError);
  });
});

describe('rollUpPlan', () => {
  const structure = {
    sections: [
      { id: 'A', tasks: [{ id: 'a1' }, { id: 'a2' }] },
      { id: 'B', tasks: [{ id: 'b1' }, { id: 'b2' }] },
    ],
  };
  const leaves = [
    leaf({ taskId: 'a1', status: 'closed', completion: 100 }),
    leaf({ taskId: 'a1', completion: 0, light: 'red' }),
    leaf({ taskId: 'a2', completion: 80 }),
    leaf({ taskId: 'b1', completion: 30, weight: 2, light: 'yellow' }),
    leaf({ taskId: 'b2', status: 'suspended', completion: 90, light: null }),
  ];
  const r = rollUpPlan(structure, leaves);

  it('rolls items up to tasks in the structure order', () => {
    expect(r.sections[0].tasks.map((t) => [t.taskId, t.completion, t.weight, t.light])).toEqual([
      ['a1', 50, 2, 'red'],
      ['a2', 80, 1, 'green'],
    ]);
  });

  it('weights over all leaves: section A is 60, not the sibling mean 65 of its tasks', () => {
    // (100 + 0 + 80) / 3 = 60; "each task equal" would give (50 + 80) / 2 = 65.
    expect(r.sections[0]).toMatchObject({ sectionId: 'A', completion: 60, weight: 3, light: 'red' });
    expect(r.sections[0].counts).toEqual({ red: 1, yellow: 0, green: 2 });
  });

  it("equals the children's mean weighted by their weights at every level", () => {
    // Plan: (100 + 0 + 80 + 2·30) / 5 = 48 = (3·60 + 2·30) / 5.
    const [a, b] = r.sections;
    expect(r.plan.completion).toBe(48);
    expect(r.plan.completion).toBe(((a.completion ?? 0) * a.weight + (b.completion ?? 0) * b.weight) / 5);
    expect(r.plan).toMatchObject({ items: 4, excluded: 1, weight: 5, light: 'red' });
    expect(r.plan.counts).toEqual({ red: 1, yellow: 1, green: 2 });
  });

  it('gives a task with only excluded items completion null and light null, its section unaffected', () => {
    const [b1, b2] = r.sections[1].tasks;
    expect(b2).toMatchObject({ taskId: 'b2', items: 0, excluded: 1, completion: null, light: null });
    expect(b1).toMatchObject({ completion: 30, light: 'yellow' });
    expect(r.sections[1]).toMatchObject({ completion: 30, light: 'yellow', weight: 2 });
  });

  it('lists empty tasks and sections with null figures', () => {
    const empty = rollUpPlan(
      {
        sections: [
          { id: 'C', tasks: [{ id: 'c1' }] },
          { id: 'D', tasks: [] },
        ],
      },
      [],
    );
    expect(empty.sections.map((s) => [s.sectionId, s.completion, s.light])).toEqual([
      ['C', null, null],
      ['D', null, null],
    ]);
    expect(empty.plan).toMatchObject({ completion: null, light: null });
  });

  it('refuses an item whose task is not in the plan', () => {
    expect(() => rollUpPlan(structure, [leaf({ taskId: 'zz' })])).toThrow(RangeError);
  });
});
