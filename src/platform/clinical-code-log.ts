// The clinical codes log (migration 0039): the services write a step's codes when the step happens, in
// the step's own transaction, and pages read them back. Which codes a step gives is decided by
// codesForStep (step-codes.ts) only; this file stores and reads what it decided.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/database.ts';
import { codesForStep, STEP_KINDS, type ClinicalStep, type StepCode, type StepKind } from './step-codes.ts';

/** What a step belongs to: at least one of these. */
export type StepLink = {
  adviceRecordId?: string | null;
  referralId?: string | null;
  episodeId?: string | null;
};

const valueColumns = (c: StepCode) => ({
  value_code: c.value?.kind === 'concept' ? c.value.code : null,
  value_display: c.value?.kind === 'concept' ? c.value.display : null,
  value_date: c.value?.kind === 'date' ? c.value.date : null,
  value_quantity: c.value?.kind === 'quantity' ? c.value.value : null,
  value_unit: c.value?.kind === 'quantity' ? c.value.unit : null,
});

/** A step's codes as the columns of clinical_codes, without the link and the date. */
export type StepCodeValues = ReturnType<typeof stepCodeValues>[number];

/**
 * The codes these steps give, as rows to store: for a statement that writes them together with the record
 * they belong to (referral.repository.ts insertReferral), so they commit with it in one round trip.
 */
export function stepCodeValues(steps: readonly ClinicalStep[]) {
  return steps.flatMap((step) =>
    codesForStep(step).map((c, position) => ({
      step: step.kind,
      code: c.code,
      display: c.display,
      ...valueColumns(c),
      position,
    })),
  );
}

/** Stores the codes a step gave (none for a step with no confirmed concept). Returns how many. */
export async function recordStepCodes(
  db: Executor,
  link: StepLink,
  step: ClinicalStep,
  /** The step's date in England; ENGLAND_TODAY (db/england-date.sql.ts) for a step happening now. */
  occurredOn: string | RawBuilder<string>,
): Promise<number> {
  const codes = stepCodeValues([step]);
  if (codes.length === 0) return 0;
  await db
    .insertInto('clinical_codes')
    .values(
      codes.map((c) => ({
        ...c,
        advice_record_id: link.adviceRecordId ?? null,
        referral_id: link.referralId ?? null,
        episode_id: link.episodeId ?? null,
        occurred_on: occurredOn,
      })),
    )
    .execute();
  return codes.length;
}

/**
 * For a step that is corrected in place (the assessment): the codes it gave before are replaced, so a
 * referrer is never shown a status the service has since corrected.
 */
export async function replaceStepCodes(
  db: Executor,
  episodeId: string,
  link: StepLink,
  step: ClinicalStep,
  occurredOn: string,
): Promise<number> {
  await db
    .deleteFrom('clinical_codes')
    .where('episode_id', '=', episodeId)
    .where('step', '=', step.kind)
    .execute();
  return recordStepCodes(db, { ...link, episodeId }, step, occurredOn);
}

/** Steps written in one transaction (status, advice, referral) keep the journey's order. */
const stepOrder = sql<number>`array_position(${sql.val([...STEP_KINDS])}::text[], step)`;

export type StoredStepCode = StepCode & { step: StepKind; occurredOn: string };

/** The codes stored for a referral (its own steps and its episodes'), in the order they happened. */
export async function stepCodesForReferral(db: Executor, referralId: string): Promise<StoredStepCode[]> {
  const rows = await db
    .selectFrom('clinical_codes')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('occurred_on')
    .orderBy('created_at')
    .orderBy(stepOrder)
    .orderBy('position')
    .execute();
  return rows.map(fromRow);
}

/** The codes stored for an advice record (advice given and a referral declined, with nothing kept about the person). */
export async function stepCodesForAdvice(db: Executor, adviceRecordId: string): Promise<StoredStepCode[]> {
  const rows = await db
    .selectFrom('clinical_codes')
    .selectAll()
    .where('advice_record_id', '=', adviceRecordId)
    .orderBy('created_at')
    .orderBy(stepOrder)
    .orderBy('position')
    .execute();
  return rows.map(fromRow);
}

function fromRow(r: {
  step: string;
  code: string;
  display: string;
  value_code: string | null;
  value_display: string | null;
  value_date: string | null;
  value_quantity: number | null;
  value_unit: string | null;
  occurred_on: string;
}): StoredStepCode {
  const value: StepCode['value'] =
    r.value_code && r.value_display
      ? { kind: 'concept', code: r.value_code, display: r.value_display }
      : r.value_date
        ? { kind: 'date', date: r.value_date }
        : r.value_quantity !== null
          ? { kind: 'quantity', value: r.value_quantity, unit: 'ppm' }
          : undefined;
  return {
    step: r.step as StepKind,
    occurredOn: r.occurred_on,
    code: r.code,
    display: r.display,
    ...(value ? { value } : {}),
  };
}
