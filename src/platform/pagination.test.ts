import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { listHref, pageNumbersShown, pageOf, paginationParams, requestedPage } from './pagination.ts';

describe('pageOf', () => {
  test('the pages of any total hold every row exactly once, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 200 }), (total, size) => {
        const first = pageOf(total, 1, size);
        const covered: number[] = [];
        for (let n = 1; n <= first.pages; n++) {
          const p = pageOf(total, n, size);
          assert.equal(p.page, n);
          for (let i = p.offset; i < Math.min(total, p.offset + p.limit); i++) covered.push(i);
          if (total > 0) assert.equal(p.to - p.from + 1, Math.min(total, p.offset + p.limit) - p.offset);
        }
        assert.deepEqual(
          covered,
          Array.from({ length: total }, (_, i) => i),
        );
      }),
      { numRuns: 200 },
    );
  });

  test('a page past the end is the last page; nothing at all is page 1 of 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: -5, max: 10_000 }), (total, asked) => {
        const p = pageOf(total, asked, 50);
        assert.ok(p.page >= 1 && p.page <= p.pages);
        if (asked > p.pages) assert.equal(p.page, p.pages);
        if (asked < 1) assert.equal(p.page, 1);
      }),
    );
    assert.deepEqual(pageOf(0, 3), { page: 1, pages: 1, total: 0, limit: 50, offset: 0, from: 0, to: 0 });
    assert.deepEqual(pageOf(534, 11), {
      page: 11,
      pages: 11,
      total: 534,
      limit: 50,
      offset: 500,
      from: 501,
      to: 534,
    });
  });
});

describe('requestedPage', () => {
  test('whole numbers from 1; anything else is page 1', () => {
    assert.equal(requestedPage('7'), 7);
    assert.equal(requestedPage(['3', '4']), 3);
    for (const bad of [undefined, '', '0', '-2', 'abc', '1.5', '1e3', '99999999999', 5, null, {}]) {
      assert.equal(requestedPage(bad), 1, String(bad));
    }
  });
});

describe('pageNumbersShown and paginationParams', () => {
  test('always the first, the last and the current page, ascending, with no two gaps side by side', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 1000 })
          .chain((pages) => fc.tuple(fc.constant(pages), fc.integer({ min: 1, max: pages }))),
        ([pages, page]) => {
          const shown = pageNumbersShown(page, pages);
          const numbers = shown.filter((n): n is number => n !== 'ellipsis');
          assert.ok(numbers.includes(1) && numbers.includes(pages) && numbers.includes(page));
          for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i]! > numbers[i - 1]!);
          for (let i = 1; i < shown.length; i++) {
            assert.ok(!(shown[i] === 'ellipsis' && shown[i - 1] === 'ellipsis'));
            // An ellipsis stands for two or more pages; a single missing page is shown instead.
            if (typeof shown[i] === 'number' && typeof shown[i - 1] === 'number') {
              assert.equal(shown[i] as number, (shown[i - 1] as number) + 1);
            }
            if (shown[i] === 'ellipsis') {
              assert.ok((shown[i + 1] as number) - (shown[i - 1] as number) > 2);
            }
          }
          assert.ok(shown.length <= 7);
        },
      ),
    );
    assert.deepEqual(pageNumbersShown(1, 11), [1, 2, 'ellipsis', 11]);
    assert.deepEqual(pageNumbersShown(6, 11), [1, 'ellipsis', 5, 6, 7, 'ellipsis', 11]);
    assert.deepEqual(pageNumbersShown(3, 5), [1, 2, 3, 4, 5]);
  });

  test('previous and next only where there is one; no component for a single page', () => {
    const href = (n: number) => `/x?page=${n}`;
    assert.equal(paginationParams(pageOf(50, 1), href), undefined);
    const first = paginationParams(pageOf(120, 1), href)!;
    assert.equal(first.previous, undefined);
    assert.deepEqual(first.next, { href: '/x?page=2' });
    assert.deepEqual(first.items, [
      { number: '1', href: '/x?page=1', current: true },
      { number: '2', href: '/x?page=2' },
      { number: '3', href: '/x?page=3' },
    ]);
    const last = paginationParams(pageOf(120, 3), href)!;
    assert.deepEqual(last.previous, { href: '/x?page=2' });
    assert.equal(last.next, undefined);
  });
});

describe('listHref', () => {
  test('keeps non-empty parameters in order, encoded, and leaves out page 1', () => {
    assert.equal(listHref('/worklist', { status: 'open', q: '', page: 1 }), '/worklist?status=open');
    assert.equal(listHref('/worklist', { q: 'sam & co', page: 2 }), '/worklist?q=sam+%26+co&page=2');
    assert.equal(listHref('/referrals', {}), '/referrals');
  });
});
