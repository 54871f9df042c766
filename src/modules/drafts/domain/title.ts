/** A short item title from its text: the first clause, at most 30 characters. */
export function titleFromText(text: string): string {
  const first = text.split(/[，。；,;：:]/)[0].trim() || text.trim();
  return first.length > 30 ? `${first.slice(0, 29)}…` : first;
}
