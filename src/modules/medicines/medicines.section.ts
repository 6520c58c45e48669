import type { Database } from '../../db/database.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import { latestDeliveryLines } from '../letters/letter-delivery.service.ts';
import type { Executor } from '../../db/database.ts';
import {
  describeMatch,
  medicineVocabulary,
  recogniseMedicineName,
  type MedicineVocabulary,
} from './medicine-names.ts';
import * as repo from './medicines.repository.ts';
import {
  alertsFor,
  matchMedicines,
  MEDICINE_CONCERNS,
  SMOKING_CHANGE_EVENTS,
  type AffectedMedicine,
  type MedicineAlert,
} from './medicines.ts';
import { PRESCRIBER_KINDS, type PrescriberKind } from './medicines.schemas.ts';

// What the episode page shows of the person's medicines: what they take (and which are on the list of
// medicines affected by stopping smoking), and the alerts raised for them, open ones first.

export const DIRECTION_HEADINGS = {
  levels_may_rise: 'levels may rise within days',
  levels_may_fall: 'levels may fall',
} as const;

/** Every entry, active or not, keyed by code: an alert raised before an entry was deactivated still reads. */
export async function listByCode(db: Executor): Promise<Map<string, AffectedMedicine & { active: boolean }>> {
  const rows = await db.selectFrom('affected_medicines').selectAll().execute();
  return new Map(rows.map((r) => [r.code, { ...repo.toAffectedMedicine(r), active: r.active }]));
}

export function prescriberLabel(kind: string, name: string | null): string {
  const k = PRESCRIBER_KINDS[kind as PrescriberKind] ?? kind;
  return name ? `${name} (${k})` : k;
}

/** An alert as the adviser reads it: the pure rule's words for the entry as the list has it now. */
export function alertView(episodeId: string, a: repo.AlertRow, entry: AffectedMedicine | undefined) {
  const pure: MedicineAlert | undefined = entry
    ? alertsFor(a.trigger, [{ code: a.medicine_code, name: a.recorded_as ?? entry.name }], [entry])[0]
    : undefined;
  const name = entry?.name ?? a.medicine_name ?? a.medicine_code;
  return {
    id: a.id,
    name,
    heading: `${name}: ${DIRECTION_HEADINGS[a.direction]}`,
    direction: a.direction,
    triggerLabel: SMOKING_CHANGE_EVENTS[a.trigger],
    text:
      pure?.text ??
      `${name}: ${DIRECTION_HEADINGS[a.direction]}. Let the prescriber know so they can review the dose.`,
    prescriberAdvice: pure?.prescriberAdvice ?? null,
    concernLabel: entry ? MEDICINE_CONCERNS[entry.concern] : null,
    significant: entry?.concern === 'significant',
    source: entry?.source ?? null,
    sourceUrl: entry?.sourceUrl ?? null,
    sourceCheckedOn: entry?.sourceCheckedOn ?? null,
    reviewedOn: entry?.reviewedOn ?? null,
    recordedAs: a.recorded_as,
    prescriber: a.prescriber_kind ? prescriberLabel(a.prescriber_kind, a.prescriber_name) : null,
    raisedAt: a.raised_at,
    acknowledgedAt: a.acknowledged_at,
    acknowledgedByName: a.acknowledged_by_name,
    letterProducedAt: a.letter_produced_at,
    letterHref: `/episodes/${episodeId}/medicine-alerts/${a.id}/letter`,
    acknowledgeAction: `/episodes/${episodeId}/medicine-alerts/${a.id}/acknowledge`,
  };
}

/** How a recorded name reads against the list as it is now, for the medicines table. */
export function recognisedAs(
  m: { name: string; medicine_code: string | null; name_check: string | null },
  vocabulary: MedicineVocabulary,
  byCode: ReadonlyMap<string, { name: string }>,
): { text: string; recognised: boolean } {
  const picked = m.medicine_code ? byCode.get(m.medicine_code) : undefined;
  if (m.name_check === 'picked' && picked)
    return { text: `Chosen from the list as ${picked.name.toLowerCase()}`, recognised: true };
  const matches = recogniseMedicineName(m.name, vocabulary).matches;
  if (matches.length)
    return { text: `Recognised as ${matches.map(describeMatch).join(' and ')}`, recognised: true };
  if (picked) return { text: `Recorded as ${picked.name.toLowerCase()}`, recognised: true };
  return {
    text: m.name_check === 'as_typed' ? 'Name not recognised: kept as typed' : 'Name not recognised',
    recognised: false,
  };
}

export async function medicinesSection(
  db: Database,
  episode: EpisodeRow,
  ..._rest: unknown[]
): Promise<Record<string, unknown>> {
  const [medicines, alerts, byCode, letters] = await Promise.all([
    repo.listEpisodeMedicines(db, episode.id),
    repo.listAlerts(db, episode.id),
    listByCode(db),
    latestDeliveryLines(db, episode.id),
  ]);
  const active = [...byCode.values()].filter((m) => m.active);
  const vocabulary = medicineVocabulary(active);
  const rows = medicines.map((m) => ({
    id: m.id,
    name: m.name,
    recognisedAs: recognisedAs(m, vocabulary, byCode),
    prescriber: prescriberLabel(m.prescriber_kind, m.prescriber_name),
    stoppedAt: m.stopped_at,
    createdAt: m.created_at,
    listed: matchMedicines([{ code: m.medicine_code, name: m.name }], active).map(({ medicine }) => ({
      name: medicine.name,
      concernLabel: MEDICINE_CONCERNS[medicine.concern],
      significant: medicine.concern === 'significant',
    })),
    stopAction: `/episodes/${episode.id}/medicines/${m.id}/stop`,
  }));
  const views = alerts.map((a) => alertView(episode.id, a, byCode.get(a.medicine_code)));
  return {
    letterSent: letters.byAlert,
    current: rows.filter((r) => !r.stoppedAt),
    stopped: rows.filter((r) => r.stoppedAt),
    openAlerts: views.filter((a) => !a.acknowledgedAt),
    pastAlerts: views.filter((a) => a.acknowledgedAt),
    addHref: `/episodes/${episode.id}/medicines`,
  };
}
