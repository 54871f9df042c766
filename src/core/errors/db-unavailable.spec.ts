import { QueryFailedError } from 'typeorm';

import { isDatabaseUnavailable } from './db-unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['pool checkout timed out', new Error('timeout exceeded when trying to connect')],
    ['server went away mid-query', new Error('Connection terminated unexpectedly')],
    ['connect timed out', new Error('Connection terminated due to connection timeout')],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['admin shutdown (restart)', pgError('57P01', 'terminating connection due to administrator command')],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['connection exception class 08', pgError('08006', 'connection failure')],
    ['statement timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['lock timeout', pgError('55P03', 'canceling statement due to lock timeout')],
    ['pool closed at shutdown', new Error('Driver not Connected')],
  ])('%s → unavailable', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('looks through TypeORM’s QueryFailedError to the driver error', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection'));
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it.each([
    ['a syntax error (a bug)', pgError('42601', 'syntax error at or near "SELEC"')],
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a deadlock (an ordering bug)', pgError('40P01', 'deadlock detected')],
    ['a plain TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'boom'],
    ['null', null],
  ])('%s → not unavailable (stays 500)', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
    if (err instanceof Error)
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], err))).toBe(false);
  });
});
