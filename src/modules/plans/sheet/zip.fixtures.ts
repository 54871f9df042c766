import { deflateRawSync } from 'node:zlib';

/**
 * Test fixtures (not used by the app): a one-part zip built by hand, so that it can lie about its
 * inflated size as a crafted bomb would. Shared by the zip-limit spec and the e2e input tests.
 */
export function oneEntryZip(content: Buffer, declared = content.length, method: 0 | 8 = 8): Buffer {
  const data = method === 8 ? deflateRawSync(content, { level: 9 }) : content;
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** An .xlsx-shaped zip whose one part inflates from ~64 KB to `size` bytes of zeros. */
export const zipBomb = (size = 64 * 1024 * 1024): Buffer => oneEntryZip(Buffer.alloc(size));
