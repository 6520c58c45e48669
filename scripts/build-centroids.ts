/**
 * Build data/reference/postcode-centroids.tsv.gz (the postcode sector and district centroids read by
 * src/modules/directory/geo.ts, whose CentroidTable comment documents the format) from the sector and
 * district tables derived from OS Code-Point Open.
 *
 *   node scripts/build-centroids.ts [sectors.csv] [districts.csv] [output.tsv.gz]
 *
 * Inputs default to ../shared/data/reference/postcode_sectors_gb.csv and postcode_districts_gb.csv
 * (relative to the project root; see that folder's PROVENANCE.md, derived files 7 and 8). The columns
 * used are sector|outcode, lat, long, utla_code and utla_share; the others are ignored.
 * Output defaults to data/reference/postcode-centroids.tsv.gz. Deterministic: same input, same bytes.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, gunzipSync, constants as zlibConstants } from 'node:zlib';
import { CENTROIDS_FORMAT_VERSION, CentroidTable, LA_SHARE_THRESHOLD } from '../src/modules/directory/geo.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const shared = (name: string) => resolve(projectRoot, '../shared/data/reference', name);
const sectorsPath = resolve(process.argv[2] ?? shared('postcode_sectors_gb.csv'));
const districtsPath = resolve(process.argv[3] ?? shared('postcode_districts_gb.csv'));
const outputPath = resolve(
  process.argv[4] ?? resolve(projectRoot, 'data/reference/postcode-centroids.tsv.gz'),
);

type Row = { code: string; lat: number; long: number; la: string };

async function readTable(path: string, codeColumn: string): Promise<{ rows: Row[]; skipped: number }> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0]!.replace(/^\uFEFF/, '').split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column ${name}`);
    return i;
  };
  const [iCode, iLat, iLong, iLa, iShare] = [
    col(codeColumn),
    col('lat'),
    col('long'),
    col('utla_code'),
    col('utla_share'),
  ];
  const rows: Row[] = [];
  let skipped = 0;
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f[iLat] === '' || f[iLong] === '') {
      skipped++; // non-geographic codes (PO boxes and the like) have no coordinates
      continue;
    }
    const lat = Number(f[iLat]);
    const long = Number(f[iLong]);
    if (!Number.isFinite(lat) || !Number.isFinite(long))
      throw new Error(`${path}: bad coordinates in ${line}`);
    const share = Number(f[iShare]);
    rows.push({ code: f[iCode]!, lat, long, la: share >= LA_SHARE_THRESHOLD ? f[iLa]! : '' });
  }
  return { rows, skipped };
}

const sectors = await readTable(sectorsPath, 'sector');
const districts = await readTable(districtsPath, 'outcode');
const rows = [...districts.rows, ...sectors.rows].sort((a, b) =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
);
const text = [
  `#${CENTROIDS_FORMAT_VERSION} GB postcode district and sector centroids (WGS84), built by scripts/build-centroids.ts from OS Code-Point Open 2025-10. ` +
    'Contains OS data (c) Crown copyright and database right 2025; Contains Royal Mail data (c) Royal Mail copyright and database right 2025; ' +
    'Contains National Statistics data (c) Crown copyright and database right 2025. OGL v3.',
  ...rows.map((r) => `${r.code}\t${r.lat.toFixed(4)}\t${r.long.toFixed(4)}\t${r.la}`),
  '',
].join('\n');

// Reload what will be written and check every row comes back as it went in.
const table = CentroidTable.fromLines(gunzipSync(gzipSync(text)).toString('utf8').split('\n'));
for (const r of rows) {
  const c = table.get(r.code);
  if (
    !c ||
    Math.abs(c.lat - r.lat) > 0.00006 ||
    Math.abs(c.long - r.long) > 0.00006 ||
    (c.localAuthorityCode ?? '') !== r.la
  ) {
    throw new Error(`round trip failed for ${r.code}`);
  }
}
const gz = gzipSync(text, { level: zlibConstants.Z_BEST_COMPRESSION });
await writeFile(`${outputPath}.tmp`, gz);
await rename(`${outputPath}.tmp`, outputPath);
console.log(
  `${outputPath}: ${districts.rows.length} districts and ${sectors.rows.length} sectors ` +
    `(${districts.skipped + sectors.skipped} without coordinates left out), ${gz.length} bytes`,
);
