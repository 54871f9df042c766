import type { QueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';

import { ApiError } from '../api/client';

import type { Schemas } from '../api/client';
import { hasRole, type Me } from '../auth/auth';
// The server's own unit table and conversion (pure TypeScript, no Nest): the form converts exactly as the API will.
import { dimensionOf, normalizeUnit, unitsOf } from '../../../src/modules/plans/domain/measure';
export { convert } from '../../../src/modules/plans/domain/measure';

export type Item = Schemas['ItemDto'];
export type Report = Schemas['ReportDto'];

/** Item statuses in which reports, extensions and close-outs can still be made (OPEN_STATUSES on the server). */
const OPEN = ['draft', 'assigned', 'in_progress', 'awaiting_closeout'];

export function isOpenItem(item: Item): boolean {
  return OPEN.includes(item.status);
}

/**
 * Whether the caller may report on (and ask for) this item, as far as the browser can tell: the owner, the lead
 * unit's people and heads, the dispatch office and admins (docs/PERMISSIONS.md). A co-unit's people only
 * contribute, so they get no 填报 button; the server still decides (403 with its message).
 */
export function mayReport(me: Me, item: Item): boolean {
  if (hasRole(me, 'admin', 'dispatcher')) return true;
  if (item.owner?.id === me.id) return true;
  if (!hasRole(me, 'member', 'head')) return false;
  const coUnitOnly = me.unit.id !== item.leadUnit.id && item.coUnits.some((u) => u.id === me.unit.id);
  return !coUnitOnly;
}

/** After a report, extension or close-out changed: everything that shows it refetches. */
export function invalidateWork(client: QueryClient, itemId: string): Promise<unknown> {
  return Promise.all(
    [['items'], ['item', itemId], ['me'], ['reviews'], ['inbox']].map((queryKey) =>
      client.invalidateQueries({ queryKey }),
    ),
  );
}

export const REPORT_STATUS: Record<string, { text: string; color: string }> = {
  draft: { text: '草稿', color: 'default' },
  submitted: { text: '已提交，待审核', color: 'processing' },
  returned: { text: '已退回', color: 'error' },
  approved: { text: '已通过', color: 'success' },
};

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Units the report form offers for a target: the target's own unit first, then the others it converts to. */
export function unitChoices(targetUnit: string): string[] {
  const dimension = dimensionOf(targetUnit);
  const family = dimension ? unitsOf(dimension) : [];
  return [targetUnit, ...family.filter((u) => u !== normalizeUnit(targetUnit))];
}

// The server's own rule, so a period reads the same on every page and in every message.
export { periodName } from '../../../src/modules/workbench/domain/period-name';

/** Puts the server's per-field messages (ApiError.fields) on a form's fields; true when there were any. */
export function showFieldErrors<T>(
  form: FormInstance<T>,
  e: unknown,
  rename?: (field: string) => unknown,
): boolean {
  if (!(e instanceof ApiError) || !e.fields.length) return false;
  const fields = e.fields.map((f) => ({ name: rename ? rename(f.field) : f.field, errors: [f.message] }));
  form.setFields(fields as Parameters<FormInstance<T>['setFields']>[0]);
  return true;
}
