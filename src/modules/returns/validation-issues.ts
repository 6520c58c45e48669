// What a check of a return reports: an issue with a stable code, its severity, a message in plain English and
// where to look (validation.ts runs the checks). Pure.

import type { Measure, EpisodeFact } from './return-measures.ts';
import type { BreakdownKey } from './return-breakdowns.ts';

export type Severity = 'error' | 'warning';

export const ISSUE_CODES = {
  co_verified_above_quits: 'error',
  breakdown_does_not_add_up: 'error',
  outcomes_do_not_add_up: 'error',
  setting_exception_reason_missing: 'error',
  setting_exception_reason_not_needed: 'warning',
  missing_data: 'warning',
  unrecognised_code: 'warning',
  quit_date_before_referral: 'warning',
  outcomes_pending: 'warning',
} as const satisfies Record<string, Severity>;
export type IssueCode = keyof typeof ISSUE_CODES;

export type IssueLocation = {
  /** 'total' for the return's totals. */
  breakdown?: BreakdownKey | 'total';
  category?: string;
  measure?: Measure;
  /** The episode item to correct (for missing or unrecognised data). */
  item?: keyof EpisodeFact;
};

export type ValidationIssue = {
  code: IssueCode;
  severity: Severity;
  message: string;
  where: IssueLocation;
  /** How many people the issue is about, for the data-quality issues. */
  count?: number;
  /** The episodes to open and fix, for the data-quality issues. */
  episodeIds?: string[];
};
export const issue = (
  code: IssueCode,
  message: string,
  where: IssueLocation,
  extra: Partial<ValidationIssue> = {},
) => ({ code, severity: ISSUE_CODES[code], message, where, ...extra }) satisfies ValidationIssue;

export const people = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'person' : 'people'}`;
