import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canTakeTexts, parseUkPhone } from './phone.ts';

describe('parseUkPhone', () => {
  test('a UK number is kept as typed (trimmed), with its international form', () => {
    assert.deepEqual(parseUkPhone(' 07911 123456 '), {
      text: '07911 123456',
      e164: '+447911123456',
      type: 'MOBILE',
    });
    assert.deepEqual(parseUkPhone('0113 496 0000'), {
      text: '0113 496 0000',
      e164: '+441134960000',
      type: 'FIXED_LINE',
    });
  });

  test('+44 forms, with or without spaces, are the same number', () => {
    for (const n of ['07911123456', '07911 123456', '+447911123456', '+44 7911 123456', '+44 7911123456']) {
      assert.equal(parseUkPhone(n)?.e164, '+447911123456', n);
    }
    assert.equal(parseUkPhone('+44 113 496 0000')?.e164, '+441134960000');
  });

  test("Ofcom's drama mobiles, 07700 900000 to 900999, count as mobiles on purpose", () => {
    for (const n of ['07700 900000', '07700 900123', '07700900982', '+44 7700 900999']) {
      assert.equal(parseUkPhone(n)?.type, 'MOBILE', n);
    }
    assert.equal(parseUkPhone('07700 901000'), null, 'the rest of 07700 is not allocated');
  });

  test('landlines of every length, and the landline drama ranges', () => {
    for (const n of ['020 7946 0000', '0161 496 0000', '01924 000000', '016977 2345', '029 2018 0000']) {
      assert.equal(parseUkPhone(n)?.type, 'FIXED_LINE', n);
    }
  });

  test('not a UK number: too short, too long, foreign, or more than the number', () => {
    for (const n of [
      '',
      '12345',
      '07911 12345',
      '079111 234567',
      '+1 202 555 0123',
      '0044 7911 123456',
      '07911-123-456',
      'Tel 07911 123456',
      '07911 123456 ext 3',
    ]) {
      assert.equal(parseUkPhone(n), null, n);
    }
  });
});

describe('canTakeTexts', () => {
  test('UK mobiles can, in any form', () => {
    for (const n of ['07911 123456', '+44 7911 123456', '07400 123456', '07700 900123']) {
      assert.equal(canTakeTexts(n), true, n);
    }
  });

  test('070 personal numbers and 076 pagers cannot; Isle of Man 07624 mobiles can', () => {
    assert.equal(canTakeTexts('07012 345678'), false, '070 forwards calls, it is not a mobile');
    assert.equal(canTakeTexts('+44 70 1234 5678'), false);
    assert.equal(canTakeTexts('07600 123456'), false, '076 is a pager');
    assert.equal(canTakeTexts('07640 123456'), false);
    assert.equal(canTakeTexts('07624 123456'), true, 'an Isle of Man mobile');
  });

  test('landlines, freephone and numbers that are not real cannot', () => {
    for (const n of ['0113 496 0000', '0800 123 4567', '03069 990000', '07911 12345', '12345', '']) {
      assert.equal(canTakeTexts(n), false, n);
    }
  });
});
