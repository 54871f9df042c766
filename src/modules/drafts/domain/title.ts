/**
 * A short item title from its text: the first clause (up to the first ，。；： outside quotes and brackets),
 * without a leading clause marker (一是, （1）, ①, 1.), at most 30 characters.
 * "一是开展要素普查，明家底。…" → "开展要素普查".
 */
export function titleFromText(text: string): string {
  const body = text
    .trim()
    .replace(
      /^(?:[一二三四五六七八九十]{1,3}是|[（(][0-9０-９]{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩]|[0-9０-９]{1,2}[.．、](?![0-9]))\s*/,
      '',
    )
    .replace(/^[，,、：:\s]+/, '');
  let depth = 0;
  let end = body.length;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ('“《（(「【'.includes(c)) depth++;
    else if ('”》）)」】'.includes(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && '，。；,;：:'.includes(c)) {
      end = i;
      break;
    }
  }
  const first = body.slice(0, end).trim() || body.trim();
  return first.length > 30 ? `${first.slice(0, 29)}…` : first;
}
