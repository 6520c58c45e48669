import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { CentroidTable } from './geo.ts';

// Reads the shipped postcode sector and district centroids (format: see geo.ts; attribution:
// data/reference/README.md). About 115 KB gzipped; read once per process and shared.

export const DEFAULT_CENTROIDS_PATH = new URL(
  '../../../data/reference/postcode-centroids.tsv.gz',
  import.meta.url,
);

const gunzipAsync = promisify(gunzip);

export async function loadCentroids(path: string | URL = DEFAULT_CENTROIDS_PATH): Promise<CentroidTable> {
  const text = (await gunzipAsync(await readFile(path))).toString('utf8');
  return CentroidTable.fromLines(text.split('\n'));
}

let shared: Promise<CentroidTable> | undefined;

/** The shipped table, loaded on first use and kept for the life of the process. */
export function sharedCentroids(): Promise<CentroidTable> {
  shared ??= loadCentroids().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}
