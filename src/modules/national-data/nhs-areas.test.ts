import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorityNhsAreas, bestFit, type DistrictPart } from './nhs-areas.ts';

const area = (code: string) => ({ code, nhsCode: code, name: code });
const part = (district: string, sicbl: string, icb: string, lsoas: number): DistrictPart => ({
  district,
  sicbl: area(sicbl),
  icb: area(icb),
  lsoas,
});

test('best fit: the ICB with most LSOAs, summed over sub-ICB locations; a tie to the lower code', () => {
  const fit = bestFit([
    part('A', 'S1', 'E54000002', 30),
    part('A', 'S2', 'E54000001', 20),
    part('B', 'S3', 'E54000001', 20),
  ]);
  assert.equal(fit.icb.code, 'E54000001', '40 LSOAs in two parts beat 30 in one');
  assert.equal(fit.sicbl.code, 'S1');
  assert.equal(fit.icbShare, 40 / 70);
  assert.equal(
    bestFit([part('A', 'S2', 'E54000002', 5), part('A', 'S1', 'E54000001', 5)]).icb.code,
    'E54000001',
  );
  assert.throws(() => bestFit([]));
});

test('the reference data: all 153 authorities in the 42 ICBs, Essex in Mid and South Essex', () => {
  const areas = authorityNhsAreas();
  assert.equal(areas.size, 153);
  assert.equal(new Set([...areas.values()].map((a) => a.icb.code)).size, 42);
  assert.ok(
    [...areas.values()].every((a) => /^E54\d{6}$/.test(a.icb.code) && /^E38\d{6}$/.test(a.sicbl.code)),
  );
  assert.equal(areas.get('E10000012')!.icb.name, 'NHS Mid and South Essex Integrated Care Board');
  assert.equal(areas.get('E08000038')!.icb.code, 'E54000061', 'Barnsley by its 2024 code: South Yorkshire');
});
