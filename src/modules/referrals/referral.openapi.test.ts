// The API's description says what the server checks: whatever matches the published pattern of a
// date of birth, postcode, phone number or NHS number, the referral schema takes (the check digit and
// the numbering plan aside, which the description states in words).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidNhsNumber } from './nhs-number.ts';
import { personFields } from './referral.schemas.ts';
import { referralApiPart } from './referral.openapi.ts';

const TODAY = '2026-03-02';
const fields = personFields(TODAY);
type Property = { pattern?: string; format?: string; description?: string; maxLength?: number };
const schema = referralApiPart(TODAY).schemas.AskAdviseAct as {
  oneOf: { properties: Record<string, Property> }[];
};
const published = schema.oneOf.find((o) => 'givenName' in o.properties)!.properties;

const matching = (name: string) => {
  const p = published[name]!;
  assert.ok(p.pattern, `${name} has a pattern`);
  return fc
    .stringMatching(new RegExp(p.pattern, 'u'))
    .filter((v) => p.maxLength === undefined || v.length <= p.maxLength);
};

test('date of birth, postcode, phone and NHS number publish the pattern they are checked by', () => {
  assert.equal(published.dateOfBirth!.format, 'date');
  assert.match(published.dateOfBirth!.description!, /12 to 120/);
  assert.match(published.nhsNumber!.description!, /modulus 11/);
  for (const name of ['dateOfBirth', 'postcode', 'phone', 'nhsNumber'])
    assert.ok(published[name]!.pattern, name);
});

test('every postcode the description allows is taken', () => {
  fc.assert(
    fc.property(matching('postcode'), (v) => {
      assert.ok(fields.postcode.safeParse(v).success, JSON.stringify(v));
    }),
    { numRuns: 2000, seed: 14 },
  );
});

test('every NHS number the description allows, with its check digit right, is taken', () => {
  fc.assert(
    fc.property(
      matching('nhsNumber').filter((v) => isValidNhsNumber(v)),
      (v) => {
        assert.ok(fields.nhsNumber.safeParse(v).success, v);
      },
    ),
    { numRuns: 500, seed: 14 },
  );
});

test('a date of birth the description allows, for someone 12 to 120 years old, is taken', () => {
  const pattern = new RegExp(published.dateOfBirth!.pattern!);
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1906-03-03'), max: new Date('2014-03-02'), noInvalidDate: true }),
      (d) => {
        const v = d.toISOString().slice(0, 10);
        assert.match(v, pattern);
        assert.ok(fields.dateOfBirth.safeParse(v).success, v);
      },
    ),
    { numRuns: 500, seed: 14 },
  );
});

test('a phone number the server takes matches the published pattern, and the drama range is taken', () => {
  const pattern = new RegExp(published.phone!.pattern!);
  for (const v of ['07700 900982', '0113 496 0000', '+447700900461', '+44 20 7946 0000']) {
    assert.ok(fields.phone.safeParse(v).success, v);
    assert.match(v, pattern);
  }
  for (const v of ['07700 900 982 ext 3', '(0113) 496 0000']) assert.doesNotMatch(v, pattern);
});
