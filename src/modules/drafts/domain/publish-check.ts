/**
 * What a draft needs before it becomes a plan, and which references in a reviewed tree may stand.
 * Pure: the caller passes the organization's units and users.
 */
import type { DraftBody, DraftItem } from './types';

export interface OrgRefs {
  /** Active units by id, with their tree path (a unit's subtree shares its path prefix). */
  units: Map<string, { path: string }>;
  /** Active users by id. */
  users: Map<string, { unitId: string; roles: readonly string[] }>;
}

export interface Problem {
  /** JSON path of the field: sections[0].tasks[1].items[2].deadline */
  field: string;
  message: string;
}

const itemPath = (s: number, t: number, i: number) => `sections[${s}].tasks[${t}].items[${i}]`;
const itemPlace = (s: number, t: number, i: number) => `第${s + 1}部分第${t + 1}项任务第${i + 1}条事项`;

function eachItem(body: DraftBody, fn: (item: DraftItem, s: number, t: number, i: number) => void): void {
  body.sections.forEach((section, s) =>
    section.tasks.forEach((task, t) => task.items.forEach((item, i) => fn(item, s, t, i))),
  );
}

/**
 * A reviewed tree (PUT) may leave assignments empty, but whatever it names must be the organization's:
 * matched and lead/co units active units, people active users; `unitIds` runs beside `units`.
 */
export function referenceProblems(body: DraftBody, refs: OrgRefs): Problem[] {
  const problems: Problem[] = [];
  eachItem(body, (item, s, t, i) => {
    const at = itemPath(s, t, i);
    if (item.unitIds.length !== item.units.length)
      problems.push({ field: `${at}.unitIds`, message: `匹配的单位（${at}.unitIds）必须与原文单位一一对应` });
    item.unitIds.forEach((id, n) => {
      if (id !== null && !refs.units.has(id))
        problems.push({
          field: `${at}.unitIds[${n}]`,
          message: `匹配的单位（${at}.unitIds[${n}]）不存在或已停用`,
        });
    });
    if (item.leadUnitId !== null && !refs.units.has(item.leadUnitId))
      problems.push({ field: `${at}.leadUnitId`, message: `牵头单位（${at}.leadUnitId）不存在或已停用` });
    item.coUnitIds.forEach((id, n) => {
      if (!refs.units.has(id))
        problems.push({
          field: `${at}.coUnitIds[${n}]`,
          message: `配合单位（${at}.coUnitIds[${n}]）不存在或已停用`,
        });
    });
    if (item.responsibleLeaderId !== null && !refs.users.has(item.responsibleLeaderId))
      problems.push({
        field: `${at}.responsibleLeaderId`,
        message: `责任领导（${at}.responsibleLeaderId）不存在或已停用`,
      });
    if (item.ownerId !== null && !refs.users.has(item.ownerId))
      problems.push({ field: `${at}.ownerId`, message: `责任人（${at}.ownerId）不存在或已停用` });
  });
  return problems;
}

/**
 * Every item of a draft to publish into a plan of `year` must have a title, a lead unit, a responsible
 * leader (a user with role leader) and a deadline in that year; an owner must belong to the lead unit's
 * subtree. Returns every problem, each placed the way a reviewer reads the tree.
 */
export function publishProblems(body: DraftBody, year: number, refs: OrgRefs): Problem[] {
  const problems: Problem[] = [];
  let items = 0;
  eachItem(body, (item, s, t, i) => {
    items++;
    const at = itemPath(s, t, i);
    const bad = (field: string, message: string) =>
      problems.push({ field: `${at}.${field}`, message: `${itemPlace(s, t, i)}：${message}` });
    if (item.title.trim() === '') bad('title', '缺少事项名称');
    const lead = item.leadUnitId === null ? undefined : refs.units.get(item.leadUnitId);
    if (item.leadUnitId === null) bad('leadUnitId', '缺少牵头单位');
    else if (!lead) bad('leadUnitId', '牵头单位不存在或已停用');
    item.coUnitIds.forEach((id, n) => {
      if (!refs.units.has(id)) bad(`coUnitIds[${n}]`, '配合单位不存在或已停用');
    });
    const leader = item.responsibleLeaderId === null ? undefined : refs.users.get(item.responsibleLeaderId);
    if (item.responsibleLeaderId === null) bad('responsibleLeaderId', '缺少责任领导');
    else if (!leader) bad('responsibleLeaderId', '责任领导不存在或已停用');
    else if (!leader.roles.includes('leader')) bad('responsibleLeaderId', '责任领导必须是局领导');
    if (item.ownerId !== null) {
      const owner = refs.users.get(item.ownerId);
      if (!owner) bad('ownerId', '责任人不存在或已停用');
      else if (lead && !(refs.units.get(owner.unitId)?.path ?? '').startsWith(lead.path))
        bad('ownerId', '责任人不在牵头单位（或其下级单位）');
    }
    if (item.deadline === null) bad('deadline', '缺少完成时限');
    else if (!item.deadline.startsWith(`${year}-`)) bad('deadline', `完成时限不在 ${year} 年内`);
    item.targets.forEach((target, n) => {
      if (target.metric.trim() === '') bad(`targets[${n}].metric`, '量化指标缺少指标名称');
    });
  });
  if (items === 0) problems.push({ field: 'sections', message: '草稿中没有任何具体事项' });
  return problems;
}
