/**
 * A multipart body built by hand, so that tests can break it on purpose (truncate it, drop the
 * boundary, put a NUL in a file name).
 */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; field?: string },
  boundary = '----duban-test-boundary',
): { body: Buffer; contentType: string } {
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
