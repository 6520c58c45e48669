import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { v5 } from 'uuid';
import { derivedId, TAXONOMY } from './hsds.ts';

const SERVICE = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

describe('derivedId', () => {
  // Made by the hand-written SHA-1 function this replaced: the ids already published must not change.
  test('makes again the ids the directory has always published', () => {
    const known: [string[], string][] = [
      [[SERVICE, 'phone'], 'dadcfa43-bbce-5589-8b9a-9e91576e262f'],
      [[SERVICE, 'contact', 'phone'], '13bb40c4-cc6f-5f73-bd49-2f9211100133'],
      [[SERVICE, 'area', 'E08000035'], 'aa8cbf9c-92cc-5e8d-b018-8ef088aa8efd'],
      [[SERVICE, 'language', 'polski'], '7521c42f-c5cc-5094-ac66-fefc8606dbbf'],
      [[SERVICE, 'language', 'français'], '84730654-984d-5146-9a0b-0607a1b5f7d0'],
      [[SERVICE, 'language', 'x\uD800y'], 'e85e59cf-b570-5331-a22c-8b3aff79118f'],
      [[TAXONOMY, 'in_person'], 'c4edc388-c93b-5754-82ab-14554b53f97c'],
    ];
    for (const [[first, ...rest], id] of known)
      assert.equal(derivedId(first!, ...rest), id, [first, ...rest].join(' '));
  });

  test('is a version 5, RFC variant UUID, different for different parts', () => {
    const id = derivedId(SERVICE, 'schedule');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(derivedId(SERVICE, 'schedule'), derivedId(SERVICE, 'phone'));
    assert.notEqual(derivedId(SERVICE, 'ab', 'c'), derivedId(SERVICE, 'a', 'bc'));
  });

  test("the library's v5 gives RFC 9562's example (A.4: www.example.com in the DNS namespace)", () => {
    assert.equal(v5('www.example.com', v5.DNS), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
