/**
 * Low-level reading of a work report's text: paragraphs, outline headings (一、/（一）/1.), clause markers
 * (一是/二是…, （1）, ①) and sentence splitting. Everything works on offsets into the text exactly as given:
 * no normalisation that could shift a character (CRLF, BOM and full-width digits are read through a same-length
 * view), so `source.slice(start, end)` is always the words the report wrote.
 */

/** A non-blank line of the source, trimmed: [start, end) offsets. */
export interface Para {
  start: number;
  end: number;
}

export type Range = [number, number];

const WS = /\s/; // includes \r, \u3000 (ideographic space) and \uFEFF (BOM)

/**
 * The text with full-width digits and dots mapped to ASCII, same length (one UTF-16 unit each), so offsets found
 * in the view are offsets in the source.
 */
export function asciiView(text: string): string {
  return text.replace(/[０-９．]/g, (c) =>
    c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** Non-blank lines, trimmed of surrounding whitespace (CR, BOM, indentation), in order. */
export function paragraphs(text: string): Para[] {
  const out: Para[] = [];
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = n;
    const [s, e] = trimRange(text, lineStart, lineEnd);
    if (s < e) out.push({ start: s, end: e });
    lineStart = lineEnd + 1;
  }
  return out;
}

export function trimRange(text: string, start: number, end: number): Range {
  let s = start;
  let e = end;
  while (s < e && WS.test(text[s])) s++;
  while (e > s && WS.test(text[e - 1])) e--;
  return [s, e];
}

const ZH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 → number; NaN when not a Chinese numeral of that form. */
export function zhNumeral(s: string): number {
  if (s === '十') return 10;
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return NaN;
  if (!m[2]) return m[1] && !m[3] ? ZH[m[1]] : NaN;
  return (m[1] ? ZH[m[1]] : 1) * 10 + (m[3] ? ZH[m[3]] : 0);
}

export type HeadingLevel = 'A' | 'B' | 'C';

export interface Heading {
  level: HeadingLevel;
  /** 1-based number of the heading in its list. */
  n: number;
  /** The numbering as written ("二、", "（一）", "(一)", "1.", "1、"). */
  numbering: string;
  /** Offset where the heading's words start (after the numbering and any space). */
  bodyStart: number;
}

const HEADING_A = /^([一二三四五六七八九十]{1,3})、/;
const HEADING_B = /^[（(]([一二三四五六七八九十]{1,3})[）)]/;
// "1." but not a decimal such as "1.5万吨" at a line's start.
const HEADING_C = /^(\d{1,2})(?:[.、](?!\d)|\s)/;

/** The outline heading a paragraph starts with, if any. `view` is asciiView(source). */
export function headingOf(source: string, view: string, p: Para): Heading | null {
  const head = view.slice(p.start, Math.min(p.end, p.start + 8));
  let m: RegExpExecArray | null;
  let level: HeadingLevel;
  let n: number;
  if ((m = HEADING_A.exec(head))) {
    level = 'A';
    n = zhNumeral(m[1]);
  } else if ((m = HEADING_B.exec(head))) {
    level = 'B';
    n = zhNumeral(m[1]);
  } else if ((m = HEADING_C.exec(head))) {
    level = 'C';
    n = Number(m[1]);
  } else return null;
  if (!Number.isFinite(n) || n < 1) return null;
  let bodyStart = p.start + m[0].length;
  while (bodyStart < p.end && WS.test(source[bodyStart])) bodyStart++;
  if (bodyStart >= p.end) return null; // a bare number: a table's 序号 cell, not a heading
  return { level, n, numbering: source.slice(p.start, p.start + m[0].length).trim(), bodyStart };
}

const OPEN: Record<string, string> = {
  '“': '”',
  '《': '》',
  '（': '）',
  '(': ')',
  '「': '」',
  '『': '』',
  '【': '】',
  '‘': '’',
};
const CLOSERS = new Set(Object.values(OPEN));

/**
 * Split [start, end) after each terminator in `terminators` that is not inside quotes or brackets. When the
 * brackets of the range do not balance (a typo, a stray quote), nesting is ignored rather than swallowing the
 * rest of the range. Pieces are trimmed; empty pieces dropped.
 */
export function splitClauses(source: string, start: number, end: number, terminators: string): Range[] {
  const cuts =
    cutPoints(source, start, end, terminators, true) ?? cutPoints(source, start, end, terminators, false)!;
  const out: Range[] = [];
  let from = start;
  for (const cut of [...cuts, end]) {
    const [s, e] = trimRange(source, from, cut);
    if (s < e && !/^[。；;，,：:、\s]+$/.test(source.slice(s, e))) out.push([s, e]);
    from = cut;
  }
  return out;
}

function cutPoints(
  source: string,
  start: number,
  end: number,
  terms: string,
  nest: boolean,
): number[] | null {
  const cuts: number[] = [];
  const stack: string[] = [];
  for (let i = start; i < end; i++) {
    const c = source[i];
    if (nest) {
      const close = OPEN[c];
      if (close !== undefined) {
        stack.push(close);
        continue;
      }
      if (CLOSERS.has(c)) {
        if (stack.length > 0 && stack[stack.length - 1] === c) stack.pop();
        else if (stack.length > 0) return null;
        continue;
      }
      if (c === '"') {
        // ASCII quotes open and close alike
        if (stack.length > 0 && stack[stack.length - 1] === '"') stack.pop();
        else stack.push('"');
        continue;
      }
      if (stack.length > 0) continue;
    }
    if (terms.includes(c)) {
      // a run of terminators ("。”", "；\n") cuts once, after the run
      let j = i + 1;
      while (j < end && (terms.includes(source[j]) || WS.test(source[j]))) j++;
      cuts.push(j);
      i = j - 1;
    }
  }
  if (nest && stack.length > 0) return null;
  return cuts;
}

/** The first index of `ch` in [start, end) outside quotes and brackets, or -1. */
export function indexOutside(source: string, ch: string, start: number, end: number): number {
  const cuts = cutPoints(source, start, end, ch, true) ?? cutPoints(source, start, end, ch, false)!;
  if (cuts.length === 0) return -1;
  // cutPoints returns the position after the run: walk back to the terminator itself
  let i = cuts[0] - 1;
  while (i > start && source[i] !== ch) i--;
  return i;
}

export interface Marker {
  /** Offset of the marker ("二是"). */
  at: number;
  /** Offset of the clause's words after the marker. */
  textStart: number;
}

const MARKER_FAMILIES: { re: RegExp; num: (m: RegExpExecArray) => number }[] = [
  { re: /([一二三四五六七八九十]{1,3})是/g, num: (m) => zhNumeral(m[1]) },
  { re: /[（(](\d{1,2})[）)]/g, num: (m) => Number(m[1]) },
  { re: /([①②③④⑤⑥⑦⑧⑨⑩])/g, num: (m) => '①②③④⑤⑥⑦⑧⑨⑩'.indexOf(m[1]) + 1 },
  // 1. 2. inside a （一） task (decimals such as 1.5万 are not markers)
  { re: /(\d{1,2})[.、](?!\d)/g, num: (m) => Number(m[1]) },
];

/**
 * The clause markers of a task body: 一是/二是/…, （1）/（2）…, ①②…, numbered in sequence from 1, each at the
 * body's start or after a sentence break (。；：, a line break). A word such as 唯一是 or a stray "二是" that is
 * out of sequence is not a marker. The first family that gives at least two markers wins.
 */
export function clauseMarkers(source: string, view: string, start: number, end: number): Marker[] {
  const body = view.slice(start, end);
  for (const family of MARKER_FAMILIES) {
    const found: Marker[] = [];
    family.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = family.re.exec(body))) {
      const at = start + m.index;
      if (family.num(m) !== found.length + 1) continue;
      if (!afterBreak(source, start, at)) continue;
      let textStart = at + m[0].length;
      while (textStart < end && /[\s，,、：:]/.test(source[textStart])) textStart++;
      found.push({ at, textStart });
    }
    if (found.length >= 2) return found;
  }
  return [];
}

function afterBreak(source: string, start: number, at: number): boolean {
  let i = at - 1;
  while (i >= start && WS.test(source[i]) && source[i] !== '\n') i--;
  return i < start || '。；;：:\n'.includes(source[i]);
}
