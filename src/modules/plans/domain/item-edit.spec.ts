import {
  changedPlanFields,
  originalDeadlineAfter,
  PLAN_FIELDS,
  PlanFieldValues,
  refusalMessage,
  refusedFields,
} from './item-edit';

const item: PlanFieldValues = {
  title: '新增停车泊位',
  startDate: '2023-01-01',
  deadline: '2023-06-30',
  cadence: 'monthly',
  weight: 1,
  responsibleLeaderId: 'leader-1',
  taskId: 'task-1',
  sortOrder: 10,
  milestones: [
    { month: '2023-03', percent: 30 },
    { month: '2023-05', percent: 60 },
  ],
  targets: ['新增停车泊位 ≥ 200 个'],
};

describe('changedPlanFields', () => {
  it('names each plan-level field whose value really changes', () => {
    expect(
      changedPlanFields(item, {
        deadline: '2023-09-30',
        weight: 2,
        targets: ['新增停车泊位 ≥ 100 个'],
        milestones: [{ month: '2023-03', percent: 10 }],
        taskId: 'task-2',
      }),
    ).toEqual(['deadline', 'weight', 'targets', 'milestones', 'taskId']);
  });

  it('does not count values sent back unchanged (a form resends the whole record)', () => {
    expect(
      changedPlanFields(item, {
        ...item,
        title: ' 新增停车泊位 ',
        milestones: [...item.milestones].reverse(),
        targets: [...item.targets],
      }),
    ).toEqual([]);
  });

  it('covers every plan-level field', () => {
    const edit: Partial<PlanFieldValues> = {
      title: '另一个标题',
      startDate: '2023-02-01',
      deadline: '2023-07-31',
      cadence: 'weekly',
      weight: 3,
      responsibleLeaderId: 'leader-2',
      taskId: 'task-2',
      sortOrder: 20,
      milestones: [],
      targets: [],
    };
    expect(changedPlanFields(item, edit).sort()).toEqual(Object.keys(PLAN_FIELDS).sort());
  });
});

describe('refusedFields', () => {
  it('binds a head once the plan is published', () => {
    expect(refusedFields(['deadline', 'weight'], { office: false, planStatus: 'published' })).toEqual([
      'deadline',
      'weight',
    ]);
  });

  it('leaves the office free, and a head free while the plan is still a draft', () => {
    expect(refusedFields(['deadline'], { office: true, planStatus: 'published' })).toEqual([]);
    expect(refusedFields(['deadline', 'targets'], { office: false, planStatus: 'draft' })).toEqual([]);
  });
});

describe('refusalMessage', () => {
  it('names the fields in Chinese and points to 延期申请 for the deadline', () => {
    expect(refusalMessage(['deadline', 'weight'])).toBe(
      '完成时限、权重属于计划内容，计划发布后只能由督查室或系统管理员修改；需要推迟完成时限请提交延期申请',
    );
    expect(refusalMessage(['targets'])).toBe('量化指标属于计划内容，计划发布后只能由督查室或系统管理员修改');
  });
});

describe('originalDeadlineAfter', () => {
  it('keeps the published deadline as the original on the first change, and never replaces it', () => {
    expect(
      originalDeadlineAfter({ deadline: '2023-06-30', originalDeadline: null }, '2023-09-30', 'published'),
    ).toBe('2023-06-30');
    expect(
      originalDeadlineAfter(
        { deadline: '2023-09-30', originalDeadline: '2023-06-30' },
        '2023-12-31',
        'published',
      ),
    ).toBe('2023-06-30');
  });

  it('keeps nothing while the plan is a draft (nothing promised yet) or the deadline stays', () => {
    expect(
      originalDeadlineAfter({ deadline: '2023-06-30', originalDeadline: null }, '2023-09-30', 'draft'),
    ).toBe(null);
    expect(
      originalDeadlineAfter({ deadline: '2023-06-30', originalDeadline: null }, '2023-06-30', 'published'),
    ).toBe(null);
  });
});
