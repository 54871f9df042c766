import mammoth from 'mammoth';

import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { UploadedFile } from '../../core/http/multipart';
import { checkZipLimits } from '../plans/sheet/zip-limits';

const ZIP_MAGIC = 'PK\x03\x04';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const unsupported = (message: string) =>
  new DomainError(ErrorCode.UnsupportedMediaType, message, [{ field: 'file', message }]);

/** Strips a leading BOM (a pasted or saved text may carry one; its offsets would shift every span). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text of an uploaded work report, judged by name and by content: a .txt must be valid UTF-8 with no
 * NUL (binary) byte (415 otherwise); a .docx must be a zip (415 otherwise) that mammoth can read — a
 * damaged .docx is the right type with unreadable content, so 422. Anything else → 415.
 */
export async function readReportFile(file: UploadedFile): Promise<string> {
  const name = file.filename.toLowerCase();
  const isZip = file.content.subarray(0, 4).toString('binary') === ZIP_MAGIC;
  if (name.endsWith('.docx')) {
    if (!isZip) throw unsupported('文件不是有效的 .docx（Word 2007 及以上）文档');
    const zip = checkZipLimits(file.content);
    if (!zip.ok && zip.reason !== 'not-zip') {
      const message = '.docx 文档解压后过大，请拆分后再上传';
      throw new DomainError(ErrorCode.PayloadTooLarge, message, [{ field: 'file', message }]);
    }
    try {
      if (!zip.ok) throw new Error(zip.message);
      const result = await mammoth.extractRawText({ buffer: file.content });
      return withoutBom(result.value);
    } catch {
      const message = '无法读取该 .docx 文档（文件可能已损坏），请用 Word 另存后重试，或粘贴文本';
      throw new DomainError(ErrorCode.Unprocessable, message, [{ field: 'file', message }]);
    }
  }
  if (name.endsWith('.txt')) {
    if (isZip || file.content.includes(0))
      throw unsupported('文件不是文本文件，只支持 UTF-8 编码的 .txt 或 .docx');
    try {
      return withoutBom(utf8.decode(file.content));
    } catch {
      throw unsupported('文本文件不是 UTF-8 编码，请另存为 UTF-8 后重试');
    }
  }
  throw unsupported('只支持 UTF-8 编码的 .txt 文本或 .docx（Word 2007 及以上）文档');
}
