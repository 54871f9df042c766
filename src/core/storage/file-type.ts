/** Evidence types we accept, judged by extension AND by the file's first bytes (never by the client's MIME claim). */
export const EVIDENCE_TYPES: Record<string, { mime: string; magic: number[] }> = {
  pdf: { mime: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46] },
  png: { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
  jpg: { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  jpeg: { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
};

export function detectEvidenceType(filename: string, head: Buffer): { ext: string; mime: string } | null {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  const type = EVIDENCE_TYPES[ext];
  if (!type) return null;
  return type.magic.every((b, i) => head[i] === b) ? { ext, mime: type.mime } : null;
}
