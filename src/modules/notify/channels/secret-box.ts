import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Sealed channel secrets (robot signing secrets, webhook secrets) at rest: AES-256-GCM, versioned format.
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Any configured string becomes a 32-byte key, so operators need not produce raw key bytes. */
export function secretKeyFrom(material: string): Buffer {
  if (material.length === 0) throw new Error('加密密钥不能为空');
  return createHash('sha256').update(material, 'utf8').digest();
}

/** `v1:<base64 iv>:<base64 tag>:<base64 ciphertext>` with a fresh random IV each time. */
export function sealSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
    .join(':');
}

/** Throws when the value was altered, is malformed, or was sealed with another key. */
export function openSecret(sealed: string, key: Buffer): string {
  const parts = sealed.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('密文格式不正确');
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('密文格式不正确');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('密文无法解密：数据已被篡改或密钥不匹配');
  }
}
