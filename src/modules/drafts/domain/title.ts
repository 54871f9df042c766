/**
 * A clause that only says how or on what basis the duty is done ("按照网格化管理模式", "以对标融入xx为抓手",
 * "通过…相结合的方式"): a title made of it would not name the work, so the next clause is taken instead.
 */
const FRAMING =
  /^(?:(?:严格|认真)?(?:按照|依照|根据|通过|采用|依托|借助|围绕|对照|结合|坚持以|本着)|以.{1,24}为(?:抓手|契机|突破口|牵引|目标|标准|重点|载体|依托|导向)$)/;
/**
 * Clauses that only give the approach or the topic, read from the two source documents and the fixtures:
 * an entry point ("坚持“小切口”切入"), a quoted principle alone ("坚持“可知可控、精准防控”"), the means
 * ("广泛宣传发动"), or the object a later verb acts on ("对进度滞后的项目，实行每月通报…").
 */
const APPROACH =
  /^(?:(?:坚持|从|以)“[^”]{1,12}”切入|坚持“[^”]+”|(?:广泛)?宣传发动|(?:对|针对|对于)[^，,]{1,20}的(?:项目|问题|行为|单位|情况|案件|企业|人员|区域|路段))$/;
/** A bracket closing the clause explains it ("推行“721”工作法（70%的问题用服务手段解决…）"): not part of a title. */
const TRAILING_EXPLANATION = /\s*[（(][^（）()《》]*[）)]$/;

/** The clauses of a text: cut at ，。；： outside quotes and brackets. */
function clauses(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ('“《（(「【'.includes(c)) depth++;
    else if ('”》）)」】'.includes(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && '，。；,;：:'.includes(c)) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
      // A title comes from the first sentence only.
      if ('。；;'.includes(c)) return out;
    }
  }
  out.push(body.slice(start).trim());
  return out;
}

/**
 * A short item title from its text: the first clause that names the work (up to the first ，。；： outside
 * quotes and brackets, framing lead-ins skipped), without a leading clause marker (一是, （1）, ①, 1.), at most
 * 30 characters. "一是开展要素普查，明家底。…" → "开展要素普查"; "按照网格化管理模式，实行分区包片责任制" → "实行分区包片责任制".
 */
export function titleFromText(text: string): string {
  const body = text
    // The source may break a sentence across lines (doc 000's 砂石 paragraph): a title is one line.
    .replace(/\s*[\r\n]+\s*/g, '')
    .trim()
    .replace(
      /^(?:[一二三四五六七八九十]{1,3}是|[（(][0-9０-９]{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩]|[0-9０-９]{1,2}[.．、](?![0-9]))\s*/,
      '',
    )
    .replace(/^[，,、：:\s]+/, '');
  const parts = clauses(body).filter((c) => c !== '');
  const found = parts.find((c) => !FRAMING.test(c) && !APPROACH.test(c)) ?? parts[0] ?? body.trim();
  const first = found.replace(TRAILING_EXPLANATION, '') || found;
  return first.length > 30 ? `${first.slice(0, 29)}…` : first;
}
