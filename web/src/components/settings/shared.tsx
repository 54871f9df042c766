import { useQuery } from '@tanstack/react-query';
import type { FormInstance } from 'antd';

import { api, ApiError, call, type Schemas } from '../../api/client';

export type Unit = Schemas['UnitDto'];
export type UnitKind = Unit['kind'];

export const UNIT_KIND_NAMES: Record<UnitKind, string> = {
  leadership: '局领导',
  office: '科室',
  squad: '中队',
  street: '街道/属地',
  company: '企业',
  external: '外部单位',
};

/** The organization's units in tree pre-order (the API's order), inactive ones too when asked. */
export function useUnits(includeInactive = false) {
  return useQuery({
    queryKey: ['units', { includeInactive }],
    queryFn: () =>
      call(
        api.GET('/api/v1/units', {
          params: { query: { includeInactive: includeInactive || undefined } },
        }),
      ),
  });
}

export interface UnitNode extends Unit {
  children?: UnitNode[];
}

/**
 * Nests the flat list under parentId (a unit whose parent is not listed becomes a root), siblings in their
 * sort order: the API's pre-order follows the id path, which says nothing about the order they are kept in.
 */
export function unitTree(units: Unit[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>(units.map((u) => [u.id, { ...u }]));
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  const sort = (ns: UnitNode[]): UnitNode[] => {
    ns.sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN'));
    ns.forEach((n) => n.children && sort(n.children));
    return ns;
  };
  return sort(roots);
}

/** TreeSelect data for picking a unit; `exclude` (a unit being moved) is left out with its subtree. */
export function unitOptions(units: Unit[], exclude?: string) {
  type Option = { value: string; title: string; disabled?: boolean; children?: Option[] };
  const walk = (ns: UnitNode[]): Option[] =>
    ns
      .filter((n) => n.id !== exclude)
      .map((n) => ({
        value: n.id,
        title: n.active ? n.name : `${n.name}（已停用）`,
        disabled: !n.active,
        children: n.children ? walk(n.children) : undefined,
      }));
  return walk(unitTree(units));
}

/** Puts the server's per-field Chinese messages on the form; true when there were any. */
export function showFieldErrors(form: FormInstance, err: unknown): boolean {
  if (!(err instanceof ApiError) || err.fields.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as object));
  const fields = err.fields.filter((f) => known.has(f.field));
  form.setFields(fields.map((f) => ({ name: f.field, errors: [f.message] })));
  return fields.length > 0;
}
