/**
 * Work-report text → plan draft. STUB (naive outline): the real outline rules replace this file (issue 17);
 * the signature `draftFromText(text, ctx): DraftBody` (throws DraftParseError) stays.
 */
import { titleFromText } from './title';
import { analyseItem } from './phrases';
import { DraftBody, DraftContext, DraftItem, DraftParseError, DraftSection, DraftTask } from './types';

const SECTION = /^([一二三四五六七八九十]+、)(.+)$/;
const TASK = /^([（(][一二三四五六七八九十]+[)）])([^。]+)。/;

export function draftFromText(text: string, ctx: DraftContext): DraftBody {
  if (text.trim() === '') throw new DraftParseError('报告内容为空');
  const sections: DraftSection[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const s = SECTION.exec(line.trim());
    if (s && line.includes(String(ctx.year))) {
      sections.push({ numbering: s[1], title: s[2], span: [start, start + line.length], tasks: [] });
      continue;
    }
    const section = sections.at(-1);
    const t = TASK.exec(line);
    if (!section || !t) continue;
    const task: DraftTask = {
      numbering: t[1],
      title: t[2],
      kind: 'task',
      span: [start, start + line.length],
      items: [],
    };
    let pos = start + t[0].length;
    for (const sentence of line.slice(t[0].length).split(/(?<=[。；])/)) {
      const from = pos;
      pos += sentence.length;
      const body = sentence.trim();
      if (body === '') continue;
      task.items.push(item(body, [from, from + sentence.length], ctx));
    }
    section.tasks.push(task);
  }
  if (sections.every((s) => s.tasks.length === 0)) throw new DraftParseError('未能识别出报告的任务结构');
  return { sections };
}

function item(text: string, span: [number, number], ctx: DraftContext): DraftItem {
  const phrases = analyseItem(text, ctx);
  return {
    title: titleFromText(text),
    text,
    span,
    ...phrases,
    leadUnitId: phrases.unitIds.find((id) => id !== null) ?? null,
    coUnitIds: [],
    responsibleLeaderId: null,
    ownerId: null,
  };
}
