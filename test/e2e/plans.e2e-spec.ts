import { readPlans } from '../../seeds';
import { bearer, createTestApp, TestApp } from '../helpers/app';

interface TreeTask {
  id: string;
  numbering: string | null;
  title: string;
  itemsCount: number;
}
interface Tree {
  plan: { id: string; title: string; year: number };
  itemsCount: number;
  sections: { numbering: string | null; title: string; tasks: TreeTask[] }[];
}
interface Item {
  id: string;
  title: string;
  detail: string;
  leadUnit: { id: string; name: string } | null;
  responsibleLeader: { id: string } | null;
  deadline: string;
  cadence: string;
  status: string;
  overdue: boolean;
  targets: { metric: string; unit: string; text: string }[];
}

/** The seeded 2022 plans of both source documents, read back through the API. */
describe('2022 年计划 (seeded plans)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DUBAN_NOW: '2022-06-15T10:00:00+08:00' });
  });
  afterAll(() => t.close());

  for (const source of readPlans()) {
    describe(`${source.organization} ${source.year}`, () => {
      let token: string;
      let tree: Tree;
      let items: Item[];

      beforeAll(async () => {
        token = await t.login(source.organization === 'xxs' ? 'xxs.viewer' : 'yy.viewer');
        const plans = (await t.http().get('/api/v1/plans').set(bearer(token)).expect(200)).body as {
          id: string;
          year: number;
          title: string;
        }[];
        const plan = plans.find((p) => p.year === 2022 && p.title === source.title)!;
        expect(plan).toBeDefined();
        tree = (await t.http().get(`/api/v1/plans/${plan.id}/tree`).set(bearer(token)).expect(200)).body;
        items = (
          await t.http().get(`/api/v1/items?planId=${plan.id}&pageSize=200`).set(bearer(token)).expect(200)
        ).body.items;
      });

      it('the tree lists every key task of the source document, in order, each with at least one item', () => {
        const expected = source.sections.flatMap((s) =>
          s.tasks.map((k) => `${s.title} / ${k.numbering ?? ''}${k.title}`),
        );
        const actual = tree.sections.flatMap((s) =>
          s.tasks.map((k) => `${s.title} / ${k.numbering ?? ''}${k.title}`),
        );
        expect(actual).toEqual(expected);
        for (const task of tree.sections.flatMap((s) => s.tasks))
          expect(task.itemsCount).toBeGreaterThanOrEqual(1);
        expect(tree.itemsCount).toBe(items.length);
      });

      it('every item has a lead unit, a responsible leader, a deadline and a cadence', () => {
        expect(items.length).toBe(source.sections.flatMap((s) => s.tasks.flatMap((k) => k.items)).length);
        for (const i of items) {
          expect(i.leadUnit?.id).toBeTruthy();
          expect(i.responsibleLeader?.id).toBeTruthy();
          expect(i.deadline).toMatch(/^2022-\d\d-\d\d$/);
          expect(i.cadence).toBeTruthy();
        }
      });

      it('items whose text states a number with a unit carry that target', () => {
        // A figure (digits or the redacted x/xx) followed by a unit of measure, as the reports write them.
        const figure = /(\d+(\.\d+)?|x+(\.x+)?)\s*(万平方米|平方米|公里|万吨|吨|个|处|条|座|家|座|%)/;
        const stated = items.filter((i) => figure.test(i.detail));
        expect(stated.length).toBeGreaterThan(0);
        const missing = stated.filter((i) => i.targets.length === 0).map((i) => i.detail);
        expect(missing).toEqual([]);
      });

      it('the demo history at 2022-06-15: some items closed, some overdue, the rest under way', () => {
        const closed = items.filter((i) => i.status === 'closed');
        const overdue = items.filter((i) => i.overdue);
        expect(closed.length).toBeGreaterThan(0);
        expect(overdue.length).toBeGreaterThan(0);
        expect(items.filter((i) => i.status === 'in_progress').length).toBeGreaterThan(0);
      });
    });
  }

  it('a seeded target keeps the text’s figure, redacted or not', async () => {
    const token = await t.login('xxs.viewer');
    const res = await t
      .http()
      .get(`/api/v1/items?q=${encodeURIComponent('拆除违法建设')}&pageSize=50`)
      .set(bearer(token))
      .expect(200);
    const targets = (res.body.items as Item[]).flatMap((i) => i.targets);
    expect(targets.map((x) => x.text)).toContain('拆除违法建设 ≥ x.x 万平方米');
  });
});
