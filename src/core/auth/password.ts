import { hash, verify } from '@node-rs/argon2';

// argon2id with ASVS Appendix C's minimum: 19 MiB memory, 2 passes, 1 lane.
// `Algorithm` is an ambient const enum (unusable under isolatedModules); 2 is its Argon2id member.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A valid hash of nothing anyone knows: verified against when the username is unknown, so timing does not tell. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(`duban-no-such-user-${Math.random()}`);
  return dummy;
}
