import { createCipheriv, randomBytes } from 'node:crypto';

import { SecretKeyRing, secretKeyFrom } from './secret-box';

/** A value as the first version (before key ids) sealed it: `v1:<iv>:<tag>:<ciphertext>`. */
function sealV1(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
    .join(':');
}

describe('secret box', () => {
  const k1 = { id: 'k1', material: 'the first passphrase, long enough to be a key' };
  const k2 = { id: 'k2', material: 'the second passphrase, after the rotation of 2023' };
  const ring = SecretKeyRing.fromMaterial({ current: k1 });

  it('derives a 32-byte key with SHA-256', () => {
    expect(secretKeyFrom('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(() => secretKeyFrom('')).toThrow();
  });

  it('round-trips in the v2 format, naming the key that sealed it', () => {
    const sealed = ring.seal('SEC钉钉加签密钥-123');
    expect(sealed).toMatch(/^v2:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const [, , iv, tag] = sealed.split(':');
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
    expect(ring.open(sealed)).toBe('SEC钉钉加签密钥-123');
    expect(ring.open(ring.seal(''))).toBe('');
    expect(ring.seal('same')).not.toBe(ring.seal('same'));
  });

  it('after a rotation seals with the new key and still opens what the old key sealed, v1 values included', () => {
    const before = ring.seal('旧密钥加密的机器人地址');
    const legacy = sealV1('未带密钥编号的旧密文', secretKeyFrom(k1.material));
    const rotated = SecretKeyRing.fromMaterial({ current: k2, older: [k1] });
    const after = rotated.seal('新密钥加密');
    expect(after.startsWith('v2:k2:')).toBe(true);
    expect(rotated.open(before)).toBe('旧密钥加密的机器人地址');
    expect(rotated.open(legacy)).toBe('未带密钥编号的旧密文');
    expect(rotated.open(after)).toBe('新密钥加密');
    expect([before, legacy, after].map((s) => rotated.isStale(s))).toEqual([true, true, false]);
    // Without the old key, what it sealed cannot be opened, and the error says which key is missing.
    const forgotten = SecretKeyRing.fromMaterial({ current: k2 });
    expect(() => forgotten.open(before)).toThrow('密钥编号“k1”未配置');
    expect(() => forgotten.open(legacy)).toThrow('密钥不匹配');
  });

  it('throws when the ciphertext, tag, IV or key id was altered', () => {
    const [v, id, iv, tag, ct] = ring.seal('webhook-secret').split(':');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] ^= 1;
      return buf.toString('base64');
    };
    expect(() => ring.open([v, id, iv, tag, flip(ct)].join(':'))).toThrow('篡改');
    expect(() => ring.open([v, id, iv, flip(tag), ct].join(':'))).toThrow('篡改');
    expect(() => ring.open([v, id, flip(iv), tag, ct].join(':'))).toThrow('篡改');
    // The id is authenticated: a value relabelled to another configured key does not open.
    const two = SecretKeyRing.fromMaterial({ current: k1, older: [{ id: 'k0', material: k1.material }] });
    expect(() => two.open(['v2', 'k0', iv, tag, ct].join(':'))).toThrow('篡改');
    expect(() => ring.open(['v3', id, iv, tag, ct].join(':'))).toThrow('格式');
    expect(() => ring.open('not sealed')).toThrow('格式');
  });

  it('refuses malformed or duplicate key ids', () => {
    expect(() => SecretKeyRing.fromMaterial({ current: { id: 'a:b', material: k1.material } })).toThrow(
      '格式',
    );
    expect(() =>
      SecretKeyRing.fromMaterial({ current: k1, older: [{ id: 'k1', material: k2.material }] }),
    ).toThrow('重复');
  });
});
