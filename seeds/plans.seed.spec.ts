import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { readOrganizations } from './organizations.seed';
import { readPlans } from './plans.seed';

// The public work reports, carried in the repository (seeds/data/source-documents/README.md).
const DOCS = join(__dirname, 'data', 'source-documents');
const doc = (file: string) => readFileSync(join(DOCS, file), 'utf8');

/** Key-task headings of the 2022 part of a report: "（一）title。" or "(一)title。" at a line start. */
function headings(text: string, from: string, to?: string): string[] {
  const start = text.indexOf(from);
  const end = to ? text.indexOf(to, start) : text.length;
  expect(start).toBeGreaterThanOrEqual(0);
  return [...text.slice(start, end).matchAll(/^[（(]([一二三四五六七八九十]+)[）)]([^。]+)。/gm)].map((m) =>
    m[2].trim(),
  );
}

describe('seed plans against the source documents', () => {
  const plans = readPlans();
  const byOrg = (code: string) => plans.find((p) => p.organization === code)!;
  const titles = (code: string) => byOrg(code).sections.flatMap((s) => s.tasks.map((t) => t.title));

  it('the documents are where the seed expects them', () => {
    expect(existsSync(DOCS)).toBe(true);
  });

  it('xx市: every 2022 key task （一）… of the five parts is in the seed, in the document’s order', () => {
    const expected = headings(doc('000_05d2b2c07432a0b9.txt'), '二、2022年工作目标和重点任务');
    expect(expected.length).toBeGreaterThanOrEqual(20);
    expect(titles('xxs')).toEqual(expected);
  });

  it('岳阳: the five parts of 三、 and the three of 四、 are key tasks in the seed, in order', () => {
    const text = doc('001_6cb42317fb5cf8d5.txt');
    const expected = [
      ...headings(text, '三、奋发2022年', '四、强化党建引领'),
      ...headings(text, '四、强化党建引领'),
    ];
    expect(expected).toHaveLength(8);
    const seeded = titles('yueyang');
    // The seed puts the 主要任务指标 first; the document's numbered key tasks follow in order.
    expect(seeded.slice(-8)).toEqual(expected);
  });

  it('every item’s text is the document’s own words, and every task has an item', () => {
    for (const plan of plans) {
      const text = doc(plan.source);
      for (const task of plan.sections.flatMap((s) => s.tasks)) {
        expect(task.items.length).toBeGreaterThan(0);
        for (const item of task.items) expect(text.includes(item.detail)).toBe(true);
      }
    }
  });

  it('a range in the text (x-x个, 1至2个) is one range target with both bounds, not "≥ lower"', () => {
    const RANGE = /([xX\d]+)\s*(?:-|至|到|～)\s*([xX\d]+)\s*(个|条)/;
    const found: string[] = [];
    for (const plan of plans) {
      for (const item of plan.sections.flatMap((s) => s.tasks.flatMap((t) => t.items))) {
        const m = RANGE.exec(item.detail);
        if (!m) continue;
        found.push(item.title);
        const ranges = (item.targets ?? []).filter((t) => t.unit === m[3]);
        expect(ranges).toEqual([
          expect.objectContaining({
            comparator: 'range',
            value: /^\d+$/.test(m[1]) ? Number(m[1]) : m[1],
            upper: /^\d+$/.test(m[2]) ? Number(m[2]) : m[2],
          }),
        ]);
      }
    }
    expect(found).toEqual(['理论中心组每月开展集中研讨', '落实"门前五包"示范路段', '扩面提率生活垃圾分类']);
  });

  it('units and people named by the plans exist in their organization, and leaders are leaders', () => {
    for (const plan of plans) {
      const org = readOrganizations().find((o) => o.code === plan.organization)!;
      const codes = new Set<string>();
      const walk = (us: typeof org.units) => us.forEach((u) => (codes.add(u.code), walk(u.children ?? [])));
      walk(org.units);
      const users = new Map(org.users.map((u) => [u.username, u]));
      for (const item of plan.sections.flatMap((s) => s.tasks.flatMap((t) => t.items))) {
        expect(codes.has(item.leadUnit)).toBe(true);
        item.coUnits.forEach((c) => expect(codes.has(c)).toBe(true));
        expect(users.get(item.responsibleLeader)?.roles).toContain('leader');
        if (item.owner) expect(users.has(item.owner)).toBe(true);
      }
    }
  });
});
