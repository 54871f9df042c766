import {
  canTransition,
  isOpen,
  OPEN_STATUSES,
  resumeStatusFor,
  statusChange,
  statusWorkflow,
  transition,
} from './item-status';
import { ITEM_STATUSES, type ItemStatus } from './types';

const ALLOWED: [ItemStatus, ItemStatus][] = [
  ['draft', 'assigned'],
  ['assigned', 'in_progress'],
  ['in_progress', 'awaiting_closeout'],
  ['awaiting_closeout', 'closed'],
  ['awaiting_closeout', 'in_progress'],
  ['closed', 'in_progress'],
  ['draft', 'suspended'],
  ['assigned', 'suspended'],
  ['in_progress', 'suspended'],
  ['awaiting_closeout', 'suspended'],
  ['draft', 'cancelled'],
  ['assigned', 'cancelled'],
  ['in_progress', 'cancelled'],
  ['awaiting_closeout', 'cancelled'],
  ['suspended', 'assigned'],
  ['suspended', 'in_progress'],
  ['suspended', 'cancelled'],
];

describe('isOpen', () => {
  it('holds for the working statuses only', () => {
    expect(ITEM_STATUSES.filter(isOpen)).toEqual(['draft', 'assigned', 'in_progress', 'awaiting_closeout']);
    expect(OPEN_STATUSES).toEqual(['draft', 'assigned', 'in_progress', 'awaiting_closeout']);
  });
});

describe('canTransition', () => {
  it('allows exactly the lifecycle moves and nothing else', () => {
    const allowed = ITEM_STATUSES.flatMap((from) =>
      ITEM_STATUSES.filter((to) => canTransition(from, to)).map((to) => [from, to]),
    );
    expect(allowed).toHaveLength(ALLOWED.length);
    expect(allowed).toEqual(expect.arrayContaining(ALLOWED));
  });

  it('lets a rejected close-out and a reopened (回头看) item go back to in progress', () => {
    expect(canTransition('awaiting_closeout', 'in_progress')).toBe(true);
    expect(canTransition('closed', 'in_progress')).toBe(true);
  });

  it('does not let a closed item be suspended or cancelled', () => {
    expect(canTransition('closed', 'suspended')).toBe(false);
    expect(canTransition('closed', 'cancelled')).toBe(false);
  });

  it('does not skip steps', () => {
    expect(canTransition('draft', 'in_progress')).toBe(false);
    expect(canTransition('in_progress', 'closed')).toBe(false);
  });
});

describe('transition', () => {
  it('accepts a lifecycle move', () => {
    expect(transition('in_progress', 'awaiting_closeout')).toEqual({ ok: true });
  });

  it('refuses any change to a cancelled item', () => {
    expect(transition('cancelled', 'in_progress')).toEqual({
      ok: false,
      message: '已取消的事项不能再变更状态',
    });
    expect(transition('cancelled', 'cancelled', '重复')).toEqual({
      ok: false,
      message: '已取消的事项不能再变更状态',
    });
  });

  it('requires a reason to suspend or cancel', () => {
    expect(transition('assigned', 'suspended')).toEqual({ ok: false, message: '暂停或取消必须填写原因' });
    expect(transition('in_progress', 'cancelled', '  ')).toEqual({
      ok: false,
      message: '暂停或取消必须填写原因',
    });
    expect(transition('in_progress', 'suspended', '等待规划调整')).toEqual({ ok: true });
    expect(transition('draft', 'cancelled', '任务并入市容提质行动')).toEqual({ ok: true });
  });

  it('resumes a suspended item to the status it was suspended from', () => {
    expect(transition('suspended', 'in_progress')).toEqual({ ok: true });
    expect(transition('suspended', 'assigned')).toEqual({ ok: true });
    expect(transition('suspended', 'closed')).toEqual({
      ok: false,
      message: '已暂停的事项只能恢复为“已分派”或“推进中”，或者取消',
    });
  });

  it('names both statuses when a move is not allowed', () => {
    expect(transition('draft', 'closed')).toEqual({ ok: false, message: '事项不能从“草稿”变更为“已销号”' });
  });

  it('refuses a change to the same status', () => {
    expect(transition('closed', 'closed')).toEqual({ ok: false, message: '事项已是“已销号”状态' });
  });
});

describe('statusChange (the generic status change)', () => {
  const moves = ALLOWED.filter(([from, to]) => statusWorkflow(from, to) === null);

  it('leaves 销号, its rejection and 回头看 to their workflows, for everyone', () => {
    const owned = ALLOWED.filter(([from, to]) => statusWorkflow(from, to) !== null);
    expect(owned).toEqual([
      ['in_progress', 'awaiting_closeout'],
      ['awaiting_closeout', 'closed'],
      ['awaiting_closeout', 'in_progress'],
      ['closed', 'in_progress'],
    ]);
    for (const [from, to] of owned) {
      for (const by of ['office', 'head'] as const) {
        expect(statusChange(from, to, by, '理由')).toMatchObject({ ok: false, refusal: 'workflow' });
      }
    }
    expect(statusChange('awaiting_closeout', 'closed', 'office')).toEqual({
      ok: false,
      refusal: 'workflow',
      message: '事项销号须由督查室审核销号申请',
    });
    expect(statusChange('closed', 'in_progress', 'office')).toMatchObject({
      message: '已销号的事项只能由督查室重新打开（回头看）',
    });
  });

  it('lets the dispatch office make every other lifecycle move (with a reason where one is needed)', () => {
    for (const [from, to] of moves)
      expect(statusChange(from, to, 'office', '上级调整')).toEqual({ ok: true });
    expect(statusChange('in_progress', 'suspended', 'office')).toEqual({
      ok: false,
      refusal: 'invalid',
      message: '暂停或取消必须填写原因',
    });
  });

  it('lets a head only put an item to work; suspending, resuming and cancelling are the office’s', () => {
    const byHead = moves.filter(([from, to]) => statusChange(from, to, 'head', '理由').ok);
    expect(byHead).toEqual([
      ['draft', 'assigned'],
      ['assigned', 'in_progress'],
    ]);
    expect(statusChange('in_progress', 'cancelled', 'head', '不做了')).toEqual({
      ok: false,
      refusal: 'forbidden',
      message: '暂停、恢复和取消事项由督查室决定',
    });
    expect(statusChange('suspended', 'in_progress', 'head')).toMatchObject({ refusal: 'forbidden' });
  });

  it('refuses a move outside the lifecycle as invalid, naming both statuses', () => {
    expect(statusChange('in_progress', 'closed', 'office')).toEqual({
      ok: false,
      refusal: 'invalid',
      message: '事项不能从“推进中”变更为“已销号”',
    });
    expect(statusChange('cancelled', 'in_progress', 'office')).toMatchObject({ refusal: 'invalid' });
  });
});

describe('resumeStatusFor', () => {
  it('resumes an item suspended while awaiting close-out in progress (its request lapsed)', () => {
    expect(resumeStatusFor('awaiting_closeout')).toBe('in_progress');
    expect(resumeStatusFor('assigned')).toBe('assigned');
    expect(resumeStatusFor('in_progress')).toBe('in_progress');
  });
});
