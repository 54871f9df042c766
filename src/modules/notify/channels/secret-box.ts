import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Sealed channel secrets (robot URLs and signing secrets, webhook secrets) at rest: AES-256-GCM.
// v2 values name the key that sealed them, so a key can be rotated: new values take the current
// key, older ones open with the key their id names. v1 values (before key ids) carry no id.
const V1 = 'v1';
const V2 = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Any configured string becomes a 32-byte key, so operators need not produce raw key bytes. */
export function secretKeyFrom(material: string): Buffer {
  if (material.length === 0) throw new Error('加密密钥不能为空');
  return createHash('sha256').update(material, 'utf8').digest();
}

export interface KeyMaterial {
  id: string;
  material: string;
}

export interface SecretKey {
  id: string;
  key: Buffer;
}

/** The current key (seals) and the earlier ones (only open), by id. */
export class SecretKeyRing {
  private readonly byId = new Map<string, Buffer>();

  constructor(
    readonly current: SecretKey,
    older: SecretKey[] = [],
  ) {
    for (const k of [current, ...older]) {
      if (!KEY_ID.test(k.id)) throw new Error(`密钥编号“${k.id}”格式不正确`);
      if (this.byId.has(k.id)) throw new Error(`密钥编号“${k.id}”重复`);
      this.byId.set(k.id, k.key);
    }
  }

  /** Keys from configured passphrases (any length; each hashed to 32 bytes). */
  static fromMaterial(keys: { current: KeyMaterial; older?: KeyMaterial[] }): SecretKeyRing {
    const key = (k: KeyMaterial) => ({ id: k.id, key: secretKeyFrom(k.material) });
    return new SecretKeyRing(key(keys.current), (keys.older ?? []).map(key));
  }

  /** `v2:<key id>:<base64 iv>:<base64 tag>:<base64 ciphertext>`, fresh IV; the id is authenticated too. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(`${V2}:${this.current.id}`, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      V2,
      this.current.id,
      ...[iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64')),
    ].join(':');
  }

  /** Throws (in Chinese) when the value is malformed, altered, or its key is not configured. */
  open(sealed: string): string {
    const parts = sealed.split(':');
    if (parts[0] === V2 && parts.length === 5) {
      const key = this.byId.get(parts[1]);
      if (!key) throw new Error(`密文的密钥编号“${parts[1]}”未配置（见 NOTIFY_SECRET_KEYS_OLD）`);
      return decrypt(key, parts.slice(2), `${V2}:${parts[1]}`);
    }
    if (parts[0] === V1 && parts.length === 4) {
      // No id: the key is whichever configured one authenticates it (the current one first).
      for (const key of this.byId.values()) {
        try {
          return decrypt(key, parts.slice(1));
        } catch (err) {
          if ((err as Error).message === MALFORMED) throw err;
        }
      }
      throw new Error(UNOPENED);
    }
    throw new Error(MALFORMED);
  }

  /** True when the value was not sealed with the current key (a rotation re-seals it). */
  isStale(sealed: string): boolean {
    return !sealed.startsWith(`${V2}:${this.current.id}:`);
  }
}

const MALFORMED = '密文格式不正确';
const UNOPENED = '密文无法解密：数据已被篡改或密钥不匹配';

function decrypt(key: Buffer, [ivB64, tagB64, ctB64]: string[], aad?: string): string {
  const [iv, tag, ciphertext] = [ivB64, tagB64, ctB64].map((p) => Buffer.from(p, 'base64'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error(MALFORMED);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(UNOPENED);
  }
}
