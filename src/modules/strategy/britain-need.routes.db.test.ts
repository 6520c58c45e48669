// The estimate of need for Britain on /need: England, Wales and Scotland apart, each assumption in words,
// and Wales and Scotland shown as not yet collected in Mortar (hazards H95, H96).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { tableWithCaption, textOf } from '../organisations/test-html.ts';

let t: TestApp;
let analyst: HttpSession;

before(async () => {
  t = await buildTestApp({ demo: true });
  analyst = await signIn(t.app, 'analyst@demo.test');
});
after(() => t?.close());

describe('GET /need for Britain', () => {
  test('the analyst sees England, Wales and Scotland apart, the assumptions, and that Wales and Scotland are not collected', async () => {
    const res = await analyst.get('/need');
    const text = textOf(res.body);
    assert.match(text, /Britain: England, Wales and Scotland/);
    const table = tableWithCaption(res.body, 'Estimated need by nation');
    const row = (name: string) => textOf(table.split('<tr').find((r) => r.includes(`>${name}<`))!);
    // Wales by hand: 2,544,436 adults × 1/6 × 12.6% × 1.7 = 90,836.4, about 90,840.
    assert.match(row('Wales'), /Wales 2,544,436 12.6% 90,840 [\d.]+% [\d,]+ Not yet collected in Mortar/);
    assert.match(
      row('Scotland'),
      /Scotland 4,414,[\d]{3} 13.5% [\d,]+ [\d.]+% [\d,]+ Not yet collected in Mortar/,
    );
    assert.match(row('England'), /England 45,691,677 10.4% 1,349,460 [\d.]+% [\d,]+ Counted/);
    assert.match(text, /the share of adults in Wales \(ONS mid-2023\)/);
    assert.match(text, /Mortar only counts quit dates in England today/);
    assert.equal(
      tableWithCaption(res.body, 'Estimated need in Wales by authority').split('<tr').length - 2,
      22,
    );
  });
});
