import type { DraftItem, DraftSection } from './draftsApi';

/** Where an item sits in the draft: section, task, item indexes (0-based). */
export interface ItemPath {
  s: number;
  t: number;
  i: number;
}

export const pathKey = (p: ItemPath) => `${p.s}.${p.t}.${p.i}`;

/** What publishing needs and the item lacks, in the bureau's words. */
export function missing(item: DraftItem): string[] {
  const out: string[] = [];
  if (!item.leadUnitId) out.push('牵头单位');
  if (!item.responsibleLeaderId) out.push('责任领导');
  if (!item.deadline) out.push('完成时限');
  return out;
}

/** A short title from the text: its first clause, at most 30 characters. */
export function titleOf(text: string): string {
  const first = text
    .replace(/^[一二三四五六七八九十]+是/, '')
    .split(/[，。；,;]/)
    .find((s) => s.trim() !== '');
  const t = (first ?? text).trim();
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

export function mapItems(
  sections: DraftSection[],
  fn: (item: DraftItem, p: ItemPath) => DraftItem,
  where: (p: ItemPath) => boolean = () => true,
): DraftSection[] {
  return sections.map((sec, s) => ({
    ...sec,
    tasks: sec.tasks.map((task, t) => ({
      ...task,
      items: task.items.map((item, i) => (where({ s, t, i }) ? fn(item, { s, t, i }) : item)),
    })),
  }));
}

function withItems(
  sections: DraftSection[],
  p: { s: number; t: number },
  fn: (items: DraftItem[]) => DraftItem[],
): DraftSection[] {
  return sections.map((sec, s) =>
    s !== p.s
      ? sec
      : {
          ...sec,
          tasks: sec.tasks.map((task, t) => (t !== p.t ? task : { ...task, items: fn(task.items) })),
        },
  );
}

export function updateItem(sections: DraftSection[], p: ItemPath, patch: Partial<DraftItem>): DraftSection[] {
  return withItems(sections, p, (items) => items.map((it, i) => (i === p.i ? { ...it, ...patch } : it)));
}

export function deleteItem(sections: DraftSection[], p: ItemPath): DraftSection[] {
  return withItems(sections, p, (items) => items.filter((_, i) => i !== p.i));
}

/** Merges the item with the next one of its task: texts joined, the span the union when the two touch. */
export function mergeWithNext(sections: DraftSection[], p: ItemPath, source: string): DraftSection[] {
  return withItems(sections, p, (items) => {
    const a = items[p.i];
    const b = items[p.i + 1];
    if (!a || !b) return items;
    const touching =
      a.span && b.span && a.span[1] <= b.span[0] && source.slice(a.span[1], b.span[0]).trim() === '';
    const units = [...a.units];
    const unitIds = [...a.unitIds];
    b.units.forEach((u, k) => {
      if (!units.includes(u)) {
        units.push(u);
        unitIds.push(b.unitIds[k] ?? null);
      }
    });
    const merged: DraftItem = {
      ...a,
      text: a.text + b.text,
      span: touching ? [a.span![0], b.span![1]] : a.span,
      targets: [...a.targets, ...b.targets],
      units,
      unitIds,
      deadline: a.deadline ?? b.deadline,
      leadUnitId: a.leadUnitId ?? b.leadUnitId,
      coUnitIds: [...new Set([...a.coUnitIds, ...b.coUnitIds])],
      responsibleLeaderId: a.responsibleLeaderId ?? b.responsibleLeaderId,
      ownerId: a.ownerId ?? b.ownerId,
    };
    return [...items.slice(0, p.i), merged, ...items.slice(p.i + 2)];
  });
}

/** Where a split falls without a cursor: after the first ；/。 that is not the text's last character. */
export function splitPoint(text: string): number | null {
  const m = /[；。;]/.exec(text.slice(0, -1));
  return m ? m.index + 1 : null;
}

/** Splits the item in two at `at` (a character offset into its text); spans follow when the text is the source's. */
export function splitItem(sections: DraftSection[], p: ItemPath, at: number, source: string): DraftSection[] {
  return withItems(sections, p, (items) => {
    const a = items[p.i];
    const head = a.text.slice(0, at);
    const rest = a.text.slice(at);
    const tail = rest.trimStart();
    if (head.trim() === '' || tail.trim() === '') return items;
    const exact = a.span !== null && source.slice(a.span[0], a.span[1]) === a.text;
    const cut = a.span ? a.span[0] + at : 0;
    const first: DraftItem = {
      ...a,
      title: titleOf(head),
      text: head,
      span: exact ? [a.span![0], cut] : a.span,
    };
    const second: DraftItem = {
      ...a,
      title: titleOf(tail),
      text: tail,
      targets: [],
      span: exact ? [cut + (rest.length - tail.length), a.span![1]] : null,
    };
    return [...items.slice(0, p.i), first, second, ...items.slice(p.i + 1)];
  });
}

/**
 * The draft paths a publish refusal names (its `fields[].field`): "sections[0].tasks[1].items[2].leadUnitId"
 * or "第1部分·第2项任务·第3项事项·牵头单位" (1-based).
 */
export function problemPath(field: string): ItemPath | null {
  const zero = /sections\D*(\d+)\D+tasks\D*(\d+)\D+items\D*(\d+)/.exec(field);
  if (zero) return { s: Number(zero[1]), t: Number(zero[2]), i: Number(zero[3]) };
  const nums = [...field.matchAll(/第(\d+)/g)].map((m) => Number(m[1]) - 1);
  if (nums.length >= 3) return { s: nums[0], t: nums[1], i: nums[2] };
  return null;
}
