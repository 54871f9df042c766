import { deflateRawSync } from 'node:zlib';

import { checkZipLimits } from './zip-limits';

/** A one-part zip; `declared` may lie about the inflated size, as a crafted bomb would. */
function zip(content: Buffer, declared = content.length, method: 0 | 8 = 8): Buffer {
  const data = method === 8 ? deflateRawSync(content) : content;
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
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

const limits = { maxTotalBytes: 1024 * 1024, maxEntries: 10 };

describe('checkZipLimits', () => {
  it('accepts a small archive, deflated or stored', () => {
    expect(checkZipLimits(zip(Buffer.from('<sheet/>'.repeat(100))), limits)).toEqual({ ok: true });
    expect(checkZipLimits(zip(Buffer.from('<sheet/>'), 8, 0), limits)).toEqual({ ok: true });
  });

  it('refuses an archive whose declared size is over the limit, without inflating it', () => {
    const r = checkZipLimits(zip(Buffer.alloc(2 * 1024 * 1024)), limits);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('refuses a bomb that lies about its size: the real inflated bytes count', () => {
    const r = checkZipLimits(zip(Buffer.alloc(2 * 1024 * 1024), 100), limits);
    expect(r).toMatchObject({
      ok: false,
      reason: 'too-large',
      message: expect.stringContaining('解压后过大'),
    });
  });

  it('refuses what is not a readable zip', () => {
    expect(checkZipLimits(Buffer.from('PK\x03\x04garbage', 'binary'), limits)).toMatchObject({
      ok: false,
      reason: 'not-zip',
    });
    const corrupt = zip(Buffer.from('<sheet/>'.repeat(100)));
    corrupt.writeUInt32LE(0, corrupt.length - 22 - 46 - 24); // the central directory entry's signature
    expect(checkZipLimits(corrupt, limits)).toMatchObject({ ok: false });
  });
});
