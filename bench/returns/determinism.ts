import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../../src/db/database.ts';
import { execOf, generateNational, prepareDatabase, tableChecksums } from '../generate-national.ts';
import { now } from '../pg-cluster.ts';
import { S } from './settings.ts';

// Determinism

async function generateInMemory(seed: number, scale: number) {
  const pglite = await PGlite.create('memory://');
  const handle = await openDatabase({ pglite });
  try {
    await prepareDatabase(handle.db);
    const summary = await generateNational(execOf(pglite), {
      seed,
      years: 1,
      scale,
      firstYear: S.firstYear,
      progress: false,
    });
    return { summary, sums: await tableChecksums(execOf(pglite)) };
  } finally {
    await handle.close();
    await pglite.close();
  }
}

export async function determinism(): Promise<{ same: boolean; differs: boolean; text: string }> {
  const t = now();
  const a = await generateInMemory(S.seed, S.determinismScale);
  const b = await generateInMemory(S.seed, S.determinismScale);
  const c = await generateInMemory(S.seed + 1, S.determinismScale);
  const key = (x: typeof a) => JSON.stringify(x.sums);
  const same = key(a) === key(b);
  const differs = key(a) !== key(c);
  const rows = Object.entries(a.sums)
    .map(([t, v]) => `${t} ${v.rows}`)
    .join(', ');
  return {
    same,
    differs,
    text:
      `seed ${S.seed} twice at scale ${S.determinismScale} (1 year): ${same ? 'identical' : 'DIFFERENT'} row counts and row checksums; ` +
      `seed ${S.seed + 1}: ${differs ? 'different, as it should be' : 'THE SAME (the seed is not used)'}. ` +
      `${rows}. ${((now() - t) / 1000).toFixed(1)} s for the three runs.`,
  };
}
