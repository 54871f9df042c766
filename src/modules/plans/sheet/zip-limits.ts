import { inflateRawSync } from 'node:zlib';

/**
 * An .xlsx is a zip archive, and exceljs inflates every part of it in memory: a few hundred kilobytes
 * can inflate to gigabytes (a "zip bomb"). Before exceljs sees an upload, its central directory is read
 * and each part is inflated here with a hard cap, so neither the declared nor the real sizes can pass
 * the limits. Pure (node:zlib only).
 */
export const ZIP_LIMITS = {
  /** Far above any real 任务分解表 (the 2022 plan's sheet inflates to under 1 MB). */
  maxTotalBytes: 50 * 1024 * 1024,
  maxEntries: 2_000,
};

export type ZipCheck =
  { ok: true } | { ok: false; reason: 'not-zip' | 'too-large' | 'too-many-entries'; message: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const fail = (reason: 'not-zip' | 'too-large' | 'too-many-entries', message: string): ZipCheck => ({
  ok: false,
  reason,
  message,
});

export function checkZipLimits(zip: Buffer, limits = ZIP_LIMITS): ZipCheck {
  // The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return fail('not-zip', '文件不是有效的 .xlsx（无法读取压缩包目录）');
  const entries = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  // 0xffff / 0xffffffff mean ZIP64, which no spreadsheet program writes for a sheet this size.
  if (entries === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) {
    return fail('not-zip', '文件不是有效的 .xlsx（压缩包目录损坏）');
  }
  if (entries > limits.maxEntries) {
    return fail('too-many-entries', `文件中的部件过多（超过 ${limits.maxEntries} 个），不像是任务分解表`);
  }
  let declaredTotal = 0;
  let inflatedTotal = 0;
  let at = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL) {
      return fail('not-zip', '文件不是有效的 .xlsx（压缩包目录损坏）');
    }
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const declared = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    at += 46 + nameLength + extraLength + commentLength;

    declaredTotal += declared;
    if (declaredTotal > limits.maxTotalBytes) return tooLarge(limits);
    // The declared size may lie: inflate the part for real, never past what is left of the budget.
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL) {
      return fail('not-zip', '文件不是有效的 .xlsx（压缩包内容损坏）');
    }
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (method === 8) {
      try {
        const budget = limits.maxTotalBytes - inflatedTotal;
        inflatedTotal += budget > 0 ? inflateRawSync(data, { maxOutputLength: budget }).length : Infinity;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(limits);
        return fail('not-zip', '文件不是有效的 .xlsx（压缩内容损坏）');
      }
    } else if (method === 0) {
      inflatedTotal += data.length;
    } else {
      return fail('not-zip', '文件不是有效的 .xlsx（不支持的压缩方式）');
    }
    if (inflatedTotal > limits.maxTotalBytes) return tooLarge(limits);
  }
  return { ok: true };
}

function tooLarge(limits: typeof ZIP_LIMITS): ZipCheck {
  return fail(
    'too-large',
    `文件解压后过大（超过 ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB），不像是任务分解表`,
  );
}
