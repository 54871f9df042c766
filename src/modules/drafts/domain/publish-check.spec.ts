import { OrgRefs, publishProblems, referenceProblems } from './publish-check';
import type { DraftBody, DraftItem } from './types';

const LEAD = '00000000-0000-4000-8000-000000000001';
const SUB = '00000000-0000-4000-8000-000000000002';
const OTHER = '00000000-0000-4000-8000-000000000003';
const LEADER = '00000000-0000-4000-8000-000000000011';
const MEMBER = '00000000-0000-4000-8000-000000000012';
const OUTSIDER = '00000000-0000-4000-8000-000000000013';
const UNKNOWN = '00000000-0000-4000-8000-000000000099';

const refs: OrgRefs = {
  units: new Map([
    [LEAD, { path: '/1/' }],
    [SUB, { path: '/1/2/' }],
    [OTHER, { path: '/3/' }],
  ]),
  users: new Map([
    [LEADER, { unitId: OTHER, roles: ['leader'] }],
    [MEMBER, { unitId: SUB, roles: ['member'] }],
    [OUTSIDER, { unitId: OTHER, roles: ['member'] }],
  ]),
};

function item(patch: Partial<DraftItem> = {}): DraftItem {
  return {
    title: '拆除违法建设',
    text: '拆除违法建设1.5万平方米以上。',
    cadence: 'once',
    deadline: '2022-12-31',
    targets: [],
    units: [],
    unitIds: [],
    span: null,
    leadUnitId: LEAD,
    coUnitIds: [],
    responsibleLeaderId: LEADER,
    ownerId: null,
    ...patch,
  };
}

const body = (...tasks: DraftItem[][]): DraftBody => ({
  sections: [
    {
      numbering: '二、',
      title: '2022年重点任务',
      span: null,
      tasks: tasks.map((items, n) => ({
        numbering: null,
        title: `任务${n}`,
        kind: 'task',
        span: null,
        items,
      })),
    },
  ],
});

describe('publishProblems', () => {
  it('a complete item passes; an owner in the lead unit’s subtree is fine', () => {
    expect(publishProblems(body([item({ ownerId: MEMBER, coUnitIds: [OTHER] })]), 2022, refs)).toEqual([]);
  });

  it('lists every missing assignment, placed as 第N部分第N项任务第N条事项 with its JSON path', () => {
    const problems = publishProblems(
      body([item()], [item({ leadUnitId: null, responsibleLeaderId: null }), item({ deadline: null })]),
      2022,
      refs,
    );
    expect(problems).toEqual([
      {
        field: 'sections[0].tasks[1].items[0].leadUnitId',
        message: '第1部分第2项任务第1条事项：缺少牵头单位',
      },
      {
        field: 'sections[0].tasks[1].items[0].responsibleLeaderId',
        message: '第1部分第2项任务第1条事项：缺少责任领导',
      },
      { field: 'sections[0].tasks[1].items[1].deadline', message: '第1部分第2项任务第2条事项：缺少完成时限' },
    ]);
  });

  it('refuses a deadline outside the plan year, a leader without the leader role, an owner outside the lead unit', () => {
    const problems = publishProblems(
      body([item({ deadline: '2023-01-01', responsibleLeaderId: MEMBER, ownerId: OUTSIDER })]),
      2022,
      refs,
    );
    expect(problems.map((p) => p.message)).toEqual([
      '第1部分第1项任务第1条事项：责任领导必须是局领导',
      '第1部分第1项任务第1条事项：责任人不在牵头单位（或其下级单位）',
      '第1部分第1项任务第1条事项：完成时限不在 2022 年内',
    ]);
  });

  it('refuses unknown or inactive units and people, a blank title, a draft without items', () => {
    expect(
      publishProblems(
        body([item({ title: ' ', leadUnitId: UNKNOWN, coUnitIds: [UNKNOWN], responsibleLeaderId: UNKNOWN })]),
        2022,
        refs,
      ).map((p) => p.field),
    ).toEqual([
      'sections[0].tasks[0].items[0].title',
      'sections[0].tasks[0].items[0].leadUnitId',
      'sections[0].tasks[0].items[0].coUnitIds[0]',
      'sections[0].tasks[0].items[0].responsibleLeaderId',
    ]);
    expect(publishProblems(body([]), 2022, refs)).toEqual([
      { field: 'sections', message: '草稿中没有任何具体事项' },
    ]);
  });
});

describe('referenceProblems (a reviewed tree before it is saved)', () => {
  it('leaves empty assignments alone but refuses ids outside the organization and unitIds out of step', () => {
    expect(referenceProblems(body([item({ leadUnitId: null, responsibleLeaderId: null })]), refs)).toEqual(
      [],
    );
    expect(
      referenceProblems(
        body([
          item({ units: ['街道'], unitIds: [UNKNOWN], ownerId: UNKNOWN }),
          item({ units: ['街道'], unitIds: [] }),
        ]),
        refs,
      ).map((p) => p.field),
    ).toEqual([
      'sections[0].tasks[0].items[0].unitIds[0]',
      'sections[0].tasks[0].items[0].ownerId',
      'sections[0].tasks[0].items[1].unitIds',
    ]);
  });
});
