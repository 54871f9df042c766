/** Field-level before/after of the keys that changed, for audit records. */
export function changedFields<T extends object>(
  before: T,
  after: T,
  keys: (keyof T)[],
): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of keys) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return Object.keys(a).length > 0 ? { before: b, after: a } : null;
}
