import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakdownRow } from './area.repository.ts';
import { areaCounts, countsFor, lastMonths, matrix } from './area.service.ts';
import { monthLabel } from '../../platform/dates.ts';
import { STATUS_KINDS } from '../referrals/referral-status.ts';

test('lastMonths: six months ending this month in England, across a year end', () => {
  assert.deepEqual(lastMonths(new Date('2025-02-10T12:00:00Z')), [
    '2024-09',
    '2024-10',
    '2024-11',
    '2024-12',
    '2025-01',
    '2025-02',
  ]);
  // 23:30 UTC on 31 March 2025 is already April in British Summer Time.
  assert.equal(lastMonths(new Date('2025-03-31T23:30:00Z'), 1)[0], '2025-04');
  assert.equal(monthLabel('2025-04'), 'April 2025');
});

const rows: BreakdownRow[] = [
  { la: 'A', dimension: 'total', key: null, n: 5 },
  { la: 'A', dimension: 'month', key: '2025-02', n: 3 },
  { la: 'A', dimension: 'status', key: 'received', n: 4 },
  { la: 'A', dimension: 'status', key: 'accepted', n: 1 },
  { la: 'A', dimension: 'referrer_type', key: 'foodbank', n: 4 },
  { la: 'A', dimension: 'referrer_type', key: 'self', n: 1 },
  { la: 'A', dimension: 'mental_health', key: 'both', n: 5 },
  { la: 'B', dimension: 'total', key: null, n: 1 },
  { la: 'B', dimension: 'status', key: 'received', n: 1 },
  { la: 'B', dimension: 'referrer_type', key: 'unknown', n: 1 },
  { la: null, dimension: 'total', key: null, n: 6 },
  { la: null, dimension: 'month', key: '2025-02', n: 3 },
  { la: null, dimension: 'status', key: 'received', n: 5 },
  { la: null, dimension: 'status', key: 'accepted', n: 1 },
  { la: null, dimension: 'referrer_type', key: 'foodbank', n: 4 },
  { la: null, dimension: 'referrer_type', key: 'self', n: 1 },
  { la: null, dimension: 'referrer_type', key: 'unknown', n: 1 },
  { la: null, dimension: 'mental_health', key: 'both', n: 5 },
];
const months = ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02'];

test('countsFor: every category in order with zeros, unknown values kept', () => {
  const status = countsFor(rows, 'A', 'status', months);
  assert.equal(status[0]!.key, 'received');
  assert.equal(status[0]!.n, 4);
  assert.equal(status.find((c) => c.key === 'accepted')!.n, 1);
  assert.equal(status.find((c) => c.key === 'closed')!.n, 0);
  assert.deepEqual(
    countsFor(rows, 'A', 'month', months).map((c) => c.n),
    [0, 0, 0, 0, 0, 3],
  );
  const b = countsFor(rows, 'B', 'referrer_type', months);
  assert.deepEqual(b.at(-1), { key: 'unknown', label: 'Not recorded', n: 1 });
  assert.equal(
    countsFor(rows, 'A', 'referrer_type', months).find((c) => c.key === 'self')!.label,
    'Self-referral',
  );
});

test('areaCounts and matrix: per authority and England, empty referrer columns dropped', () => {
  const data = {
    breakdowns: rows,
    advice: [
      { la: 'A', status: null, asked: 9, total: 7, referred: 5, declined: 2 },
      { la: 'A', status: '1', asked: 7, total: 7, referred: 5, declined: 2 },
      { la: 'A', status: '4', asked: 2, total: 0, referred: 0, declined: 0 },
    ],
    services: [{ la: 'A', organisation_id: 'x', organisation_name: 'Service A' }],
    months,
  };
  const a = areaCounts('A', data);
  assert.equal(a.referrals, 5);
  assert.equal(a.recentReferrals, 3);
  assert.deepEqual(
    { ...a.advice, askedByStatus: a.advice.askedByStatus.filter((c) => c.n > 0) },
    {
      total: 7,
      referred: 5,
      declined: 2,
      asked: 9,
      askedByStatus: [
        { key: '1', label: 'Smokes now', n: 7 },
        { key: '4', label: 'Has never smoked', n: 2 },
      ],
    },
  );
  assert.ok(!a.advice.askedByStatus.some((c) => c.key === '9'), '"not asked" is not an answer to asking');
  assert.deepEqual(a.services, [{ id: 'x', name: 'Service A' }]);
  const b = areaCounts('B', data);
  assert.deepEqual(
    { ...b.advice, askedByStatus: [] },
    { total: 0, referred: 0, declined: 0, asked: 0, askedByStatus: [] },
  );
  assert.deepEqual(b.services, []);
  const england = areaCounts(null, data);
  const authorities = [
    { code: 'A', name: 'Aville', region_name: 'R', counts: a },
    { code: 'B', name: 'Btown', region_name: 'R', counts: b },
  ];
  const m = matrix(authorities, england, (c) => c.byReferrerType, { dropEmptyColumns: true });
  assert.deepEqual(
    m.columns.map((c) => c.key),
    ['foodbank', 'self', 'unknown'],
  );
  assert.deepEqual(m.rows, [
    { name: 'Aville', cells: [4, 1, 0], total: 5 },
    { name: 'Btown', cells: [0, 0, 1], total: 1 },
  ]);
  assert.deepEqual(m.england, { cells: [4, 1, 1], total: 6 });
  const s = matrix(authorities, england, (c) => c.byStatus);
  // Every status is a column, empty or not (withdrawn included).
  assert.deepEqual(
    s.columns.map((c) => c.key),
    [...STATUS_KINDS],
  );
  assert.equal(s.england.total, 6);
});
