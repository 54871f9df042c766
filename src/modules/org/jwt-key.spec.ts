import { createHmac } from 'node:crypto';
import * as crypto from 'crypto';

import { JwtService } from '@nestjs/jwt';

import { AppConfig } from '../../core/config/app-config';
import { jwtModuleOptions } from './org.module';

// jsonwebtoken takes these from 'crypto' when it loads: wrapped, they show whether a call parses keys.
jest.mock('crypto', () => {
  const actual = jest.requireActual<typeof crypto>('crypto');
  return {
    ...actual,
    createPublicKey: jest.fn(actual.createPublicKey),
    createPrivateKey: jest.fn(actual.createPrivateKey),
  };
});

describe('JWT signing key (issue 19: the per-request cost of verifying a token)', () => {
  const secret = 'unit-test-secret-0123456789abcdefghijklmnop';
  const jwt = new JwtService(jwtModuleOptions({ auth: { jwtSecret: secret } } as AppConfig));

  beforeEach(() => jest.clearAllMocks());

  it('signs and verifies without trying to parse the secret as a public or private key', () => {
    const token = jwt.sign({ sub: 'u1' }, { algorithm: 'HS256', expiresIn: 60 });
    expect(jwt.verify<{ sub: string }>(token, { algorithms: ['HS256'] }).sub).toBe('u1');
    expect(crypto.createPublicKey).not.toHaveBeenCalled();
    expect(crypto.createPrivateKey).not.toHaveBeenCalled();
  });

  it('still signs HS256 with the configured secret string (tokens signed before stay valid)', () => {
    const token = jwt.sign({ sub: 'u1' }, { algorithm: 'HS256', expiresIn: 60 });
    const [head, body, sig] = token.split('.');
    expect(createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')).toBe(sig);
    expect(() => new JwtService({ secret: 'another-secret-long-enough-0123456789' }).verify(token)).toThrow();
  });
});
