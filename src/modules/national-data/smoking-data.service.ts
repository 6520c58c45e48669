// The national smoking data for a quarter, as one publication, and what each reader may see of it: a
// national analyst every row; a commissioner England, their ICB and their own authority. Counts only.
import type { Database } from '../../db/database.ts';
import type { AreaScope } from '../../platform/scope.ts';
import type { Period } from '../../platform/quarters.ts';
import { authorityNhsAreas } from './nhs-areas.ts';
import { authorityNames, countSmokingData } from './smoking-data.repository.ts';
import {
  publicationRows,
  publishSmokingData,
  type PublishedRow,
  type SmokingPublication,
} from './smoking-data-tables.ts';

export async function loadSmokingPublication(db: Database, period: Period): Promise<SmokingPublication> {
  const [groups, names] = await Promise.all([countSmokingData(db, period), authorityNames(db)]);
  return publishSmokingData(publicationRows(groups, authorityNhsAreas(), names));
}

/** The rows a reader in this scope may see, always cut from the whole publication. */
export function rowsFor(pub: SmokingPublication, scope: AreaScope): PublishedRow[] {
  if (scope.kind === 'all') return pub.rows;
  const icb = authorityNhsAreas().get(scope.code)?.icb.code;
  return pub.rows.filter(
    (r) =>
      r.level === 'england' ||
      (r.level === 'icb' && r.code === icb) ||
      (r.level === 'local_authority' && r.code === scope.code),
  );
}
