import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret, secretKeyFrom } from './secret-box';

describe('secret box', () => {
  const key = secretKeyFrom('a configured passphrase, any length');

  it('derives a 32-byte key with SHA-256', () => {
    expect(key).toHaveLength(32);
    expect(secretKeyFrom('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(() => secretKeyFrom('')).toThrow();
  });

  it('round-trips, in the v1 format', () => {
    const sealed = sealSecret('SEC钉钉加签密钥-123', key);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const [, iv, tag] = sealed.split(':');
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
    expect(openSecret(sealed, key)).toBe('SEC钉钉加签密钥-123');
    expect(openSecret(sealSecret('', key), key)).toBe('');
  });

  it('uses a fresh IV, so sealing twice gives different output', () => {
    expect(sealSecret('same', key)).not.toBe(sealSecret('same', key));
  });

  it('throws when the ciphertext, tag or IV was altered', () => {
    const [v, iv, tag, ct] = sealSecret('webhook-secret', key).split(':');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] ^= 1;
      return buf.toString('base64');
    };
    expect(() => openSecret([v, iv, tag, flip(ct)].join(':'), key)).toThrow('篡改');
    expect(() => openSecret([v, iv, flip(tag), ct].join(':'), key)).toThrow('篡改');
    expect(() => openSecret([v, flip(iv), tag, ct].join(':'), key)).toThrow('篡改');
    expect(() => openSecret(['v2', iv, tag, ct].join(':'), key)).toThrow('格式');
    expect(() => openSecret('not sealed', key)).toThrow('格式');
  });

  it('throws with the wrong key', () => {
    const sealed = sealSecret('webhook-secret', key);
    expect(() => openSecret(sealed, secretKeyFrom('another passphrase'))).toThrow();
    expect(() => openSecret(sealed, randomBytes(32))).toThrow();
  });
});
