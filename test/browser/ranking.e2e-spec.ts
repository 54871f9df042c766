import type { Page } from 'playwright-core';

import { browserSpec, expectClean, login, shot } from '../helpers/browser';

/**
 * 单位排名 on the seeded demo (2022-06-15 10:00, no setup writes), as the dispatch office sees it: each unit's
 * rank and score are the scoreboard's, as lead unit and as co-unit; the rank change is the one since the last
 * closed cycle's cut-off snapshot; a closed cycle shows its snapshot; the trend chart is drawn.
 */
describe('单位排名 (web page)', () => {
  const spec = browserSpec();

  interface Standing {
    unitId: string;
    unitName: string;
    rank: number | null;
    score: number | null;
  }
  interface Scoreboard {
    lead: Standing[];
    co: Standing[];
  }
  interface Point {
    period: string;
    kind: string;
    subjectId: string;
    rank: number | null;
    score: number | null;
    live: boolean;
  }
  interface Cycle {
    id: string;
    period: string;
    status: string;
  }

  const fixture = {
    planId: '',
    board: { lead: [], co: [] } as Scoreboard,
    points: [] as Point[],
    cycles: [] as Cycle[],
  };
  beforeAll(async () => {
    const token = await spec.system.token('xxs.dispatch');
    const plans = await spec.system.call<{ id: string; year: number; status: string }[]>(token, '/plans');
    const plan = plans.filter((p) => p.status !== 'draft').sort((a, b) => b.year - a.year)[0];
    fixture.planId = plan.id;
    fixture.board = await spec.system.call<Scoreboard>(token, `/plans/${plan.id}/scoreboard`);
    fixture.points = (await spec.system.call<{ points: Point[] }>(token, `/plans/${plan.id}/trend`)).points;
    fixture.cycles = await spec.system.call<Cycle[]>(token, `/plans/${plan.id}/cycles`);
    if (fixture.board.lead.length < 2 || fixture.board.co.length < 2)
      throw new Error(`the demo scoreboard is too small: ${JSON.stringify(fixture.board)}`);
  });

  /** Each shown row: unit, rank, score and rank change, in the order shown. */
  async function shownRows(page: Page) {
    const rows = page.getByTestId('rank-row');
    await rows.first().waitFor();
    const out: { unitId: string; unitName: string; rank: string; score: string; change: string }[] = [];
    for (const row of await rows.all()) {
      out.push({
        unitId: (await row.getAttribute('data-unit')) ?? '',
        unitName: await row.getByTestId('unit-name').innerText(),
        rank: await row.getByTestId('rank').innerText(),
        score: await row.getByTestId('score').innerText(),
        change: (await row.getByTestId('rank-change').getAttribute('data-change')) ?? '',
      });
    }
    return out;
  }

  /** The rank change each unit should show: its rank at the last closed cut-off before `period` minus now. */
  function expected(standings: Standing[], role: 'lead' | 'co', before?: string) {
    const closed = fixture.points.filter((p) => p.kind === `unit-${role}` && !p.live);
    const previousPeriod = [...new Set(closed.map((p) => p.period))]
      .sort()
      .filter((p) => !before || p < before)
      .pop();
    const previous = new Map(
      closed.filter((p) => p.period === previousPeriod).map((p) => [p.subjectId, p.rank]),
    );
    return standings.map((u) => {
      const was = previous.get(u.unitId) ?? null;
      return {
        unitId: u.unitId,
        unitName: u.unitName,
        rank: u.rank === null ? '—' : String(u.rank),
        score: u.score === null ? '—' : u.score.toFixed(1),
        change: u.rank === null || was === null ? 'none' : String(was - u.rank),
      };
    });
  }

  it('shows the scoreboard’s ranks and scores as lead unit and as co-unit, with the change since the last cut-off, and the trend chart', async () => {
    const page = await spec.page('desktop');
    await login(page, 'xxs.dispatch');
    await page.goto(`/ranking?planId=${fixture.planId}`);
    await page.waitForLoadState('networkidle');

    const lead = await shownRows(page);
    expect(lead).toEqual(expected(fixture.board.lead, 'lead'));
    // The demo's half-year moved some units between cut-offs: the column is not a constant "—".
    expect(lead.some((r) => r.change !== '0' && r.change !== 'none')).toBe(true);

    const canvas = page.getByTestId('trend-chart').locator('canvas');
    await canvas.first().waitFor();
    expect(await canvas.count()).toBeGreaterThan(0);
    await expectClean(page);
    await shot(page, 'ranking');

    await page.getByRole('tab', { name: '作为配合单位' }).click();
    await page.waitForURL(/as=co/);
    await page.getByTestId('rank-row').first().waitFor();
    // The tab swaps the table's rows as the co-unit board arrives: poll until the shown rows settle on it (or time
    // out and let the comparison below say what differs), not only until the first row is right.
    const until = Date.now() + 10000;
    const want = expected(fixture.board.co, 'co');
    let co = await shownRows(page);
    while (JSON.stringify(co) !== JSON.stringify(want) && Date.now() < until) {
      await page.waitForTimeout(100);
      co = await shownRows(page);
    }
    expect(co).toEqual(want);
    await expectClean(page);
    await shot(page, 'ranking-co');
  });

  it('a closed cycle shows its cut-off ranks; on a phone the ranking is cards', async () => {
    const closed = fixture.cycles
      .filter((c) => c.status === 'closed')
      .sort((a, b) => b.period.localeCompare(a.period));
    expect(closed.length).toBeGreaterThan(0);
    const cycle = closed[0];
    const snapshot = fixture.points
      .filter((p) => p.kind === 'unit-lead' && p.period === cycle.period)
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
    const page = await spec.page('phone');
    await login(page, 'xxs.dispatch');
    await page.goto(`/ranking?planId=${fixture.planId}&cycleId=${cycle.id}`);
    await page.waitForLoadState('networkidle');
    const rows = await shownRows(page);
    // Tied units share a rank; their order among themselves is the page's (by name), so compare by unit.
    const byUnit = (a: string[], b: string[]) => a[0].localeCompare(b[0]);
    expect(rows.map((r) => r.rank)).toEqual(snapshot.map((p) => (p.rank === null ? '—' : String(p.rank))));
    expect(rows.map((r) => [r.unitId, r.rank]).sort(byUnit)).toEqual(
      snapshot.map((p) => [p.subjectId, p.rank === null ? '—' : String(p.rank)]).sort(byUnit),
    );
    // Its rank change is against the cut-off before it.
    const changes = new Map(
      expected(
        snapshot.map((p) => ({ unitId: p.subjectId, unitName: '', rank: p.rank, score: p.score })),
        'lead',
        cycle.period,
      ).map((e) => [e.unitId, e.change]),
    );
    expect(rows.map((r) => [r.unitId, r.change]).sort(byUnit)).toEqual(
      rows.map((r) => [r.unitId, changes.get(r.unitId) ?? 'missing']).sort(byUnit),
    );
    expect(rows.some((r) => r.change !== '0' && r.change !== 'none')).toBe(true);
    expect(await page.locator('table').count()).toBe(0);
    await expectClean(page);
    await shot(page, 'ranking');
  });
});
