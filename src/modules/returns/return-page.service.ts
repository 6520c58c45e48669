// What the page of one return reads: its current version and the one before (to show what changed), its
// history and versions, the current version's checks, and whether the version kept the records each figure
// counts. Who may see which records is the context's access (returnAccess, platform/scope.ts).
import { readCounted } from './return-members.ts';
import { findCounted, listEvents, listVersions } from './return.repository.ts';
import type { Executor } from './returns.sql.ts';
import { issuesFor, loadVersion, type ReturnContext } from './return.service.ts';

export async function loadReturnPage(db: Executor, ctx: ReturnContext) {
  const row = ctx.row;
  const current =
    row && row.current_version > 0 ? await loadVersion(db, row, row.current_version) : undefined;
  const previous =
    row && row.current_version > 1 ? await loadVersion(db, row, row.current_version - 1) : undefined;
  const [events, versions] = row
    ? await Promise.all([listEvents(db, row.id), listVersions(db, row.id)])
    : [[], []];
  const { issues, linkedEpisodeIds } = current
    ? await issuesFor(db, ctx.access, current.validation)
    : { issues: [], linkedEpisodeIds: [] };
  // A service manager's figures each lead to the records they count, when the version kept them.
  const traceable = Boolean(
    current && ctx.access.episodesOf && readCounted(await findCounted(db, row!.id, current.version)),
  );
  return { current, previous, events, versions, issues, linkedEpisodeIds, traceable };
}

export type ReturnPage = Awaited<ReturnType<typeof loadReturnPage>>;
