// What the return pages show: a version's figures as tables, the changes between two versions in words, and
// its validation with links to the episodes to put right, for the people who may open them.
import { labelFor } from '../referrals/demographics.ts';
import type { ReturnAccess } from '../../platform/scope.ts';
import { discloseReturn, formatDisclosed, type TableDisclosureOptions } from './disclosure.ts';
import { tablesOf, type FigureTable } from './figure-tables.ts';
import { MEASURE_LABELS, type EpisodeFact } from './return-measures.ts';
import { BREAKDOWNS } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { diffReturns, type FigureChange } from './return-figures.ts';
import { readCounted, type FigureRef } from './return-members.ts';
import { episodesOfService } from './return-records.repository.ts';
import type { Executor } from './returns.sql.ts';
import type { ValidationIssue } from './validation-issues.ts';
import { findCounted, listEvents, listVersions } from './return.repository.ts';
import { loadVersion, type ReturnContext, type StoredVersion } from './return.service.ts';

export type { FigureRow, FigureTable } from './figure-tables.ts';

/**
 * The return as tables for a page: the totals, then each breakdown, every category with its counts and
 * two rates (quit rate, and the share of quits CO-verified: docs/domain.md, Four-week outcome, says show
 * both, always). Exact, or disclosure-controlled with `disclose` (rates then from the rounded figures, as
 * discloseRate does).
 */
export function figureTables(
  ret: QuarterlyReturn,
  opts: { disclose?: TableDisclosureOptions; link?: (f: FigureRef) => string | null } = {},
): FigureTable[] {
  // Links only on exact figures: a published count must not lead to what it hides.
  if (opts.disclose) return tablesOf(discloseReturn(ret, opts.disclose));
  return tablesOf(ret, opts.link);
}

export type ChangeRow = {
  where: string;
  category: string;
  measure: string;
  previous: string;
  current: string;
};

/** The changes between two versions, in words. */
export function describeChanges(changes: FigureChange[]): ChangeRow[] {
  return changes.map((c) => ({
    where: c.breakdown === 'total' ? 'Totals' : BREAKDOWNS[c.breakdown].label,
    category: c.breakdown === 'total' ? 'Everyone' : labelFor(BREAKDOWNS[c.breakdown].categories, c.category),
    measure: MEASURE_LABELS[c.measure],
    previous: formatDisclosed(c.previous),
    current: formatDisclosed(c.current),
  }));
}

export function compareVersions(a: StoredVersion, b: StoredVersion): ChangeRow[] {
  return describeChanges(diffReturns(a.data, b.data));
}

export type IssueView = Omit<ValidationIssue, 'episodeIds'> & {
  links: { href: string; text: string }[];
  /** For a service's own staff: how many of the episodes behind the issue are another service's. */
  othersCount: number;
};

/** Where on an episode each item is put right: the assessment asks the person's details, the plan the support. */
const FIX_AT: Partial<Record<keyof EpisodeFact, string>> = {
  sex: '/assessment',
  genderSameAsBirth: '/assessment',
  ethnicCategory: '/assessment',
  pregnant: '/assessment',
  freePrescriptions: '/assessment',
  nsSec: '/assessment',
  sexualOrientation: '/assessment',
  mentalHealth: '/assessment',
  inTalkingTherapies: '/assessment',
  interventionType: '/plan',
  setting: '/plan',
  aids: '/plan',
};

/**
 * The validation to show: every issue with its count; for a user whose service runs the episodes behind
 * an issue, links to those episodes to put them right (their own records only). Nobody else is given an
 * episode's id or a person's name.
 */
export async function issuesFor(
  db: Executor,
  access: ReturnAccess,
  issues: ValidationIssue[],
): Promise<{ issues: IssueView[]; linkedEpisodeIds: string[] }> {
  const ids = [...new Set(issues.flatMap((i) => i.episodeIds ?? []))];
  const own = access.episodesOf ? await episodesOfService(db, access.episodesOf, ids) : [];
  const byId = new Map(own.map((e) => [e.id, e]));
  const views = issues.map(({ episodeIds, ...issue }) => {
    const at = (issue.where.item && FIX_AT[issue.where.item]) ?? '';
    const links = (episodeIds ?? [])
      .map((id) => byId.get(id))
      .filter((e) => e !== undefined)
      .map((e) => ({ href: `/episodes/${e.id}${at}`, text: `${e.given_name} ${e.family_name}` }));
    const othersCount = access.episodesOf ? (episodeIds ?? []).length - links.length : 0;
    return { ...issue, links, othersCount };
  });
  return { issues: views, linkedEpisodeIds: own.map((e) => e.id) };
}

// What the page of one return reads: its current version and the one before (to show what changed), its
// history and versions, the current version's checks, and whether the version kept the records each figure
// counts. Who may see which records is the context's access (returnAccess, platform/scope.ts).
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
