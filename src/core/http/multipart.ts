import { Readable } from 'node:stream';

import { FastifyRequest } from 'fastify';

import { DomainError, ErrorCode } from '../errors/domain-error';

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

export interface MultipartUpload {
  file: UploadedFile;
  fields: Record<string, string>;
}

const MB = 1024 * 1024;

/**
 * Reads a multipart upload: exactly one file in the form field `file` and only the `fields` named.
 * Every way the body can be wrong is a 4xx in Chinese, never a 500: not multipart (415), no boundary or
 * truncated (400), over the size limit (413), an empty file, a NUL in a file name or field (400).
 * Callers check the caller's rights first: this reads (and so accepts) the whole body.
 */
export async function readMultipartUpload(
  req: FastifyRequest,
  options: { maxBytes: number; fields?: readonly string[]; what: string },
): Promise<MultipartUpload> {
  if (!req.isMultipart()) {
    throw new DomainError(
      ErrorCode.UnsupportedMediaType,
      `请以 multipart/form-data 上传${options.what}（字段名 file）`,
    );
  }
  const allowed = options.fields ?? [];
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  try {
    for await (const part of req.parts({
      limits: { fileSize: options.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
    })) {
      if (part.fieldname.includes('\u0000')) throw nul('file', '字段名');
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw DomainError.invalid(part.fieldname, '文件字段名应为 file');
        if (part.filename.includes('\u0000')) throw nul('file', '文件名');
        const content = await part.toBuffer();
        file = { filename: part.filename, content };
      } else {
        if (!allowed.includes(part.fieldname)) {
          throw DomainError.invalid(part.fieldname, `${part.fieldname}是不允许的字段`);
        }
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        if (value.includes('\u0000')) throw nul(part.fieldname, part.fieldname);
        fields[part.fieldname] = value;
      }
    }
  } catch (err) {
    throw asUploadError(err, options.maxBytes);
  }
  if (!file) throw DomainError.invalid('file', `缺少要上传的${options.what}（字段名 file）`);
  if (file.content.length === 0) throw DomainError.invalid('file', '文件为空（0 字节），请重新选择文件');
  return { file, fields };
}

/**
 * Streams a multipart upload of exactly one file (form field `file`, no other fields) to `onFile`,
 * which must consume the stream (e.g. spool it, src/core/storage/spool.ts): the body is never held in
 * memory whole. The same 4xx answers as readMultipartUpload; a file cut off at `maxBytes` is a 413
 * after `onFile` returned, so the caller must not keep what it received unless this resolves.
 */
export async function readMultipartStream(
  req: FastifyRequest,
  options: { maxBytes: number; what: string },
  onFile: (filename: string, content: Readable) => Promise<void>,
): Promise<void> {
  if (!req.isMultipart()) {
    throw new DomainError(
      ErrorCode.UnsupportedMediaType,
      `请以 multipart/form-data 上传${options.what}（字段名 file）`,
    );
  }
  let seen = false;
  try {
    for await (const part of req.parts({
      limits: { fileSize: options.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
    })) {
      if (part.fieldname.includes('\u0000')) throw nul('file', '字段名');
      if (part.type !== 'file') throw DomainError.invalid(part.fieldname, `${part.fieldname}是不允许的字段`);
      if (part.fieldname !== 'file') throw DomainError.invalid(part.fieldname, '文件字段名应为 file');
      if (part.filename.includes('\u0000')) throw nul('file', '文件名');
      await onFile(part.filename, part.file);
      if (part.file.truncated) throw Object.assign(new Error('file too large'), { statusCode: 413 });
      seen = true;
    }
  } catch (err) {
    throw asUploadError(err, options.maxBytes);
  }
  if (!seen) throw DomainError.invalid('file', `缺少要上传的${options.what}（字段名 file）`);
}

function nul(field: string, what: string): DomainError {
  return DomainError.invalid(field, `${what}不能包含空字符（U+0000）`);
}

/** @fastify/multipart's and busboy's errors (which busboy throws without a status) → ours. */
function asUploadError(err: unknown, maxBytes: number): DomainError {
  if (err instanceof DomainError) return err;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (status === 413) {
    return new DomainError(
      ErrorCode.PayloadTooLarge,
      `上传内容过大：文件最大 ${Math.round((maxBytes / MB) * 10) / 10} MB，且只能有一个文件`,
      [{ field: 'file', message: '文件过大' }],
    );
  }
  return new DomainError(
    ErrorCode.Validation,
    '上传内容不完整或格式不正确（multipart/form-data 缺少分隔符或被截断），请重新上传',
    [{ field: 'file', message: '上传内容不完整' }],
  );
}
