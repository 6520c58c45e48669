/**
 * Build data/reference/postcodes.tsv.gz (the compact GB postcode -> local authority table read by
 * src/platform/postcode-lookup.ts, whose header comment documents the format) from the
 * OS Code-Point Open extract.
 *
 *   node scripts/build-postcodes.ts [input.csv.gz] [output.tsv.gz]
 *
 * input  defaults to ../shared/data/reference/postcodes_gb_codepoint_open_2025_10.csv.gz
 *        (relative to the project root); relative paths given on the command line are resolved
 *        against the current directory.
 * output defaults to data/reference/postcodes.tsv.gz in the project root.
 *
 * The input must have the columns postcode ("LS6 1AN"), utla_code and country_code (others are
 * ignored). Every postcode must already be normalised. After building, the script reloads the table
 * it wrote and checks that every input row looks up to exactly its own LA and country.
 * The output is deterministic (same input -> byte-identical gzip).
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync, gunzipSync, constants as zlibConstants } from 'node:zlib';
import { normalisePostcode } from '../src/platform/postcode.ts';
import { POSTCODES_FORMAT_VERSION, PostcodeLookup, countryForLa } from '../src/platform/postcode-lookup.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const inputPath = resolve(
  process.argv[2] ??
    resolve(projectRoot, '../shared/data/reference/postcodes_gb_codepoint_open_2025_10.csv.gz'),
);
const outputPath = resolve(process.argv[3] ?? resolve(projectRoot, 'data/reference/postcodes.tsv.gz'));

interface Unit {
  suffix: string;
  la: string;
  country: string;
}

interface Row {
  postcode: string;
  la: string;
  country: string;
}

async function readRows(path: string): Promise<Row[]> {
  const lines = createInterface({
    input: createReadStream(path).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  const rows: Row[] = [];
  let header: string[] | null = null;
  let iPostcode = -1;
  let iLa = -1;
  let iCountry = -1;
  let lineNo = 0;
  for await (const rawLine of lines) {
    lineNo++;
    const line = rawLine.replace(/^\uFEFF/, '');
    if (line === '') continue;
    // The extract has no quoted fields; refuse rather than mis-parse if that ever changes.
    if (line.includes('"')) throw new Error(`${path}:${lineNo}: quoted CSV fields are not supported`);
    const fields = line.split(',');
    if (header === null) {
      header = fields;
      iPostcode = header.indexOf('postcode');
      iLa = header.indexOf('utla_code');
      iCountry = header.indexOf('country_code');
      if (iPostcode < 0 || iLa < 0 || iCountry < 0) {
        throw new Error(`${path}: header must include postcode, utla_code, country_code; got ${line}`);
      }
      continue;
    }
    if (fields.length !== header.length) {
      throw new Error(`${path}:${lineNo}: expected ${header.length} fields, got ${fields.length}`);
    }
    const postcode = fields[iPostcode] ?? '';
    const la = (fields[iLa] ?? '').trim();
    const country = (fields[iCountry] ?? '').trim();
    if (normalisePostcode(postcode) !== postcode) {
      throw new Error(`${path}:${lineNo}: postcode ${JSON.stringify(postcode)} is not normalised`);
    }
    if (la !== '' && !/^[A-Z][0-9]{8}$/.test(la)) throw new Error(`${path}:${lineNo}: bad utla_code ${la}`);
    if (!/^[A-Z][0-9]{8}$/.test(country)) throw new Error(`${path}:${lineNo}: bad country_code ${country}`);
    rows.push({ postcode, la, country });
  }
  if (header === null) throw new Error(`${path}: empty file`);
  return rows;
}

/** Most common value; ties go to a non-empty value, then to the alphabetically first. */
function mostCommon(values: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = '';
  let bestCount = -1;
  for (const [v, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (n > bestCount || (n === bestCount && best === '' && v !== '')) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

function buildLines(rows: Row[]): { lines: string[]; exceptionCount: number } {
  const bySector = new Map<string, Unit[]>();
  for (const row of rows) {
    const sector = row.postcode.slice(0, -2);
    let units = bySector.get(sector);
    if (units === undefined) bySector.set(sector, (units = []));
    units.push({ suffix: row.postcode.slice(-2), la: row.la, country: row.country });
  }
  const lines: string[] = [];
  let exceptionCount = 0;
  const sectorCodes = [...bySector.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const sectorCode of sectorCodes) {
    const units = bySector.get(sectorCode) ?? [];
    units.sort((a, b) => (a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0));
    for (let i = 1; i < units.length; i++) {
      if (units[i]?.suffix === units[i - 1]?.suffix) {
        throw new Error(`duplicate postcode ${sectorCode}${units[i]?.suffix}`);
      }
    }
    const country = mostCommon(units.map((u) => u.country));
    const la = mostCommon(units.map((u) => u.la));
    const exceptions: string[] = [];
    for (const u of units) {
      const countryOk = countryForLa(u.la, country) === u.country;
      if (u.la === la && countryOk) continue;
      exceptions.push(`${u.suffix}=${u.la}${countryOk ? '' : `/${u.country}`}`);
    }
    exceptionCount += exceptions.length;
    const fields = [sectorCode, country, la, units.map((u) => u.suffix).join('')];
    if (exceptions.length > 0) fields.push(exceptions.join(','));
    lines.push(fields.join('\t'));
  }
  return { lines, exceptionCount };
}

const started = performance.now();
console.log(`reading ${inputPath}`);
const rows = await readRows(inputPath);
const { lines, exceptionCount } = buildLines(rows);
const header =
  `#${POSTCODES_FORMAT_VERSION}\tsector\tcountry\tla\tunits\texceptions` +
  `\tsource=OS Code-Point Open 2025.4.0 (Oct 2025), OGL v3, see POSTCODES.md`;
const text = `${header}\n${lines.join('\n')}\n`;
const gz = gzipSync(text, { level: zlibConstants.Z_BEST_COMPRESSION });

// Verify the round trip on what will actually be shipped.
const check = PostcodeLookup.fromLines(gunzipSync(gz).toString('utf8').split('\n'));
if (check.size !== rows.length) throw new Error(`round trip: ${check.size} units, expected ${rows.length}`);
for (const row of rows) {
  const hit = check.lookup(row.postcode);
  if (hit === null || hit.localAuthorityCode !== (row.la || null) || hit.countryCode !== row.country) {
    throw new Error(
      `round trip mismatch for ${row.postcode}: ${JSON.stringify(hit)} vs ${JSON.stringify(row)}`,
    );
  }
}

await mkdir(dirname(outputPath), { recursive: true });
const tmpPath = `${outputPath}.tmp-${process.pid}`;
await writeFile(tmpPath, gz);
await rename(tmpPath, outputPath);

const blankLa = rows.filter((r) => r.la === '').length;
console.log(
  [
    `wrote ${outputPath}`,
    `  postcodes ${rows.length} (no LA code: ${blankLa}), sectors ${lines.length}, exceptions ${exceptionCount}`,
    `  ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB text, ${(gz.length / 1e6).toFixed(2)} MB gzip (${gz.length} bytes)`,
    `  verified every input row round-trips; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  ].join('\n'),
);
