import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDatabaseUnavailable } from './database-errors.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('an outage in any of the shapes the drivers report it is "unavailable"', () => {
  const outages = [
    withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    withCode('ECONNRESET'),
    withCode('ETIMEDOUT'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P02'),
    withCode('57P03', 'the database system is starting up'),
    withCode('53300', 'sorry, too many clients already'),
    withCode('08006', 'connection failure'),
    withCode('08P01'),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Client has encountered a connection error and is not queryable'),
    new Error('driver has already been destroyed'),
    new Error('PGlite is closed'),
    Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''), {}),
    new Error('query failed', { cause: withCode('57P01') }),
  ];
  for (const err of outages)
    assert.equal(
      isDatabaseUnavailable(err),
      true,
      `${err.message} ${String((err as { code?: string }).code)}`,
    );
});

test('faults in Mortar or in a query are not an outage', () => {
  const faults: unknown[] = [
    new Error('boom'),
    withCode('23505', 'duplicate key value violates unique constraint'),
    withCode('42P01', 'relation "nope" does not exist'),
    withCode('40001', 'could not serialize access'),
    withCode('57014', 'canceling statement due to statement timeout'),
    withCode('ENOENT'),
    new TypeError('Cannot read properties of undefined'),
    new Error('Connection terminated by a typo in a message'),
    'ECONNREFUSED',
    null,
    undefined,
    { code: '57P01', message: 'not an Error' },
  ];
  for (const err of faults) assert.equal(isDatabaseUnavailable(err), false, String(err));
});

test('a cycle of causes ends', () => {
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  assert.equal(isDatabaseUnavailable(a), false);
});
