import { oneEntryZip } from './zip.fixtures';
import { checkZipLimits } from './zip-limits';

const zip = oneEntryZip;

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
