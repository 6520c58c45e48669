// Which referrals a communications campaign is credited with: the rule that decides how its results are
// counted (a hazard of how a number is counted; see the report). Pure, so the SQL that counts at scale
// (campaign.repository.ts) is tested against it.
//
// 1. Matching. A code is matched however it is typed: any case, spaces or hyphens around it, spaces or
//    hyphens between its parts, or none ("leeds tt 2026", " LEEDSTT2026 ", "Leeds-TT-2026-" all match
//    LEEDS-TT-2026). Matching ignores hyphens, so no two campaigns may differ by hyphens alone (the
//    database enforces it on code_key). A code that matches no campaign is refused where it is typed
//    (the staff form, the API and the public form each say so), because a mistyped code would otherwise
//    be silently lost from the campaign it was meant for. A code that arrives in a link
//    (/self-referral?campaign=...) and matches nothing is dropped quietly: the person did not type it.
//
// 2. Dates. A referral keeps the campaign whose code it carried, whatever its date. It COUNTS in the
//    campaign's results when it was made (in England's time) from the campaign's first day to
//    CODE_GRACE_DAYS after its last day: people keep leaflets and posters stay up, so referrals shortly
//    after the end are still the campaign's work; later ones are too far removed to credit it. A code
//    used before the first day does not count (nobody could have seen a campaign that had not begun; if
//    materials went out early, the start date is wrong and correcting it re-counts). The results page
//    shows how many referrals carried the code but fell outside these dates, so nothing is hidden.
//    A campaign with no end date is still running: every referral from its first day counts.
//
// 3. Area. A referral counts wherever the person lives: a code quoted by someone in another authority
//    means the campaign reached them. The results show each authority's referrals separately, so a
//    commissioner can see how many came from outside the area (and figures for authorities other than
//    their own are disclosure-controlled).

import { addDays, isIsoDate, type IsoDate } from '../../platform/dates.ts';

/** Days after a campaign's last day during which referrals quoting its code still count. */
export const CODE_GRACE_DAYS = 90;

export const CODE_MIN_LENGTH = 3;
export const CODE_MAX_LENGTH = 20;
/** The longest text accepted where a person types a code (spaces and all); anything longer is not one. */
export const TYPED_CODE_MAX_LENGTH = 40;

/** A stored code: letters and digits in groups joined by single hyphens, upper case. */
const CODE_SHAPE = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;

/**
 * A code as typed, in its stored form: upper case, every run of spaces, underscores, hyphens or dashes
 * becomes one hyphen, and none is kept at either end. Letters outside A to Z are left for the shape
 * check to refuse.
 */
export function normaliseCode(typed: string): string {
  return typed
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s_\u2010-\u2015\u2212-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** What codes are matched on: the code without hyphens. */
export function codeKey(code: string): string {
  return normaliseCode(code).replace(/-/g, '');
}

export type TypedCode =
  { ok: true; code: string; key: string } | { ok: false; reason: 'blank' | 'too_long' | 'characters' };

/** Reads a code a person typed; says what is wrong with it before anything is looked up. */
export function readTypedCode(typed: string | null | undefined): TypedCode {
  const raw = (typed ?? '').trim();
  if (raw === '') return { ok: false, reason: 'blank' };
  if (raw.length > TYPED_CODE_MAX_LENGTH) return { ok: false, reason: 'too_long' };
  const code = normaliseCode(raw);
  if (code === '') return { ok: false, reason: 'blank' };
  if (!CODE_SHAPE.test(code)) return { ok: false, reason: 'characters' };
  return { ok: true, code, key: code.replace(/-/g, '') };
}

/** Why a code cannot be a new campaign's, or null when it can (the value given is already normalised). */
export function campaignCodeProblem(code: string): 'characters' | 'too_short' | 'too_long' | null {
  if (!CODE_SHAPE.test(code)) return 'characters';
  if (code.length > CODE_MAX_LENGTH) return 'too_long';
  if (code.length < CODE_MIN_LENGTH || codeKey(code).length < CODE_MIN_LENGTH) return 'too_short';
  return null;
}

/** The campaign of a typed code among campaigns, or undefined. */
export function matchCampaign<C extends { code: string }>(
  typed: string | null | undefined,
  campaigns: readonly C[],
): C | undefined {
  const read = readTypedCode(typed);
  if (!read.ok) return undefined;
  return campaigns.find((c) => codeKey(c.code) === read.key);
}

export type CampaignDates = { startsOn: IsoDate; endsOn: IsoDate | null };

/** The days on which a referral carrying the code counts, both included; `to` null: no end yet. */
export function countingWindow(c: CampaignDates): { from: IsoDate; to: IsoDate | null } {
  return { from: c.startsOn, to: c.endsOn === null ? null : addDays(c.endsOn, CODE_GRACE_DAYS) };
}

export type Timing = 'before_start' | 'running' | 'after_end' | 'too_late';

/** When a referral made on `on` falls against the campaign: before it, while it ran, in the grace period, or after. */
export function timingOf(c: CampaignDates, on: IsoDate): Timing {
  if (!isIsoDate(on) || !isIsoDate(c.startsOn)) throw new RangeError(`Not a date: ${on} / ${c.startsOn}`);
  if (on < c.startsOn) return 'before_start';
  if (c.endsOn === null || on <= c.endsOn) return 'running';
  return on <= addDays(c.endsOn, CODE_GRACE_DAYS) ? 'after_end' : 'too_late';
}

/** Whether a referral made on `on` (England's date) carrying this campaign's code counts in its results. */
export function counts(c: CampaignDates, on: IsoDate): boolean {
  const t = timingOf(c, on);
  return t === 'running' || t === 'after_end';
}

export type CampaignArea = { regionCode: string | null; localAuthorityCode: string | null };

/**
 * Whether the referral's authority is inside the campaign's area. Informative only: a referral from
 * outside the area counts all the same (rule 3).
 */
export function inArea(
  c: CampaignArea,
  referral: { localAuthorityCode: string; regionCode: string | null },
): boolean {
  if (c.localAuthorityCode !== null) return c.localAuthorityCode === referral.localAuthorityCode;
  return c.regionCode !== null && c.regionCode === referral.regionCode;
}
