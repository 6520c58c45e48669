import type { Executor } from '../../db/database.ts';
import { activeAffectedMedicines, currentEpisodeMedicines } from './medicines.repository.ts';
import {
  alertsFor,
  directionFor,
  matchMedicines,
  type AffectedMedicine,
  type SmokingChangeEvent,
} from './medicines.ts';

// Raising alerts when someone's smoking changes (docs/domain.md, Medicines affected by stopping smoking): the
// person's current medicines are checked against the administrators' list as it is in the database now, and
// each listed medicine gets an alert for the adviser to act on and route to the prescriber. The rules are the
// pure ones in medicines.ts.

export type MedicineAlertTrigger = SmokingChangeEvent;

/** The table's spelling of the pure rule's direction. */
export function directionColumn(trigger: MedicineAlertTrigger): 'levels_may_rise' | 'levels_may_fall' {
  return directionFor(trigger) === 'levels may fall' ? 'levels_may_fall' : 'levels_may_rise';
}

/** Each smoking change is recorded against the episode in the audit log, even when no alert comes of it. */
export const SMOKING_CHANGE_ENTITY = 'smoking_change';

type Only = { episodeMedicineId: string };

async function raise(
  db: Executor,
  episodeId: string,
  trigger: MedicineAlertTrigger,
  actorUserId: string | null,
  only?: Only,
): Promise<number> {
  // Locks the episode for the rest of the caller's transaction, so two requests cannot both decide an alert
  // is missing and raise it twice. Outside a transaction the lock is released at once and costs nothing.
  const episode = await db
    .selectFrom('episodes')
    .select(['id', 'service_organisation_id'])
    .where('id', '=', episodeId)
    .forUpdate()
    .executeTakeFirst();
  if (!episode) return 0;

  const [all, list] = await Promise.all([
    currentEpisodeMedicines(db, episodeId),
    activeAffectedMedicines(db),
  ]);
  const medicines = only ? all.filter((m) => m.id === only.episodeMedicineId) : all;
  const asRecorded = (m: (typeof medicines)[number]) => ({ code: m.medicine_code, name: m.name });
  const alerts = alertsFor(trigger, medicines.map(asRecorded), list);

  const open = await db
    .selectFrom('medicine_alerts')
    .select('medicine_code')
    .where('episode_id', '=', episodeId)
    .where('trigger', '=', trigger)
    .where('acknowledged_at', 'is', null)
    .execute();
  const alreadyOpen = new Set(open.map((a) => a.medicine_code));

  const codesOf = (m: (typeof medicines)[number]) =>
    matchMedicines([asRecorded(m)], list).map((x) => x.medicine.code);
  const audits: { entity_type: string; entity_id: string; detail: string }[] = [];
  let raised = 0;
  for (const alert of alerts) {
    if (alreadyOpen.has(alert.code)) continue;
    const recorded = medicines.find((m) => codesOf(m).includes(alert.code));
    const row = await db
      .insertInto('medicine_alerts')
      .values({
        episode_id: episodeId,
        episode_medicine_id: recorded?.id ?? null,
        medicine_code: alert.code,
        trigger,
        direction: directionColumn(trigger),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audits.push({
      entity_type: 'medicine_alert',
      entity_id: row.id,
      detail: `raised: ${trigger}, ${alert.code}`,
    });
    raised++;
  }
  if (!only)
    audits.push({
      entity_type: SMOKING_CHANGE_ENTITY,
      entity_id: episodeId,
      detail: `${trigger}; ${raised} medicine alerts raised`,
    });
  if (audits.length > 0) {
    await db
      .insertInto('audit_events')
      .values(
        audits.map((a) => ({
          actor_user_id: actorUserId,
          actor_api_key_id: null,
          organisation_id: episode.service_organisation_id,
          action: 'create',
          ...a,
          request_id: null,
        })),
      )
      .execute();
  }
  return raised;
}

/**
 * Called when a quit date is set, the person switches from smoking to NRT or a vape, or they start
 * smoking again; call it inside the transaction that records the change. Alerts for medicines already
 * alerted for the same change and not yet acknowledged are not raised again. Returns how many were raised.
 */
export async function raiseMedicineAlerts(
  db: Executor,
  episodeId: string,
  trigger: 'quit_date_set' | 'switched_to_nrt_or_vape' | 'relapse',
  actorUserId: string | null,
): Promise<number> {
  return raise(db, episodeId, trigger, actorUserId);
}

/**
 * The latest change in the person's smoking on this episode: the last one recorded by raiseMedicineAlerts
 * or, failing that, on an alert. A four-week outcome of "not quit" counts as smoking again.
 */
export async function currentSmokingChange(
  db: Executor,
  episode: { id: string; quit_date: string | null; four_week_outcome?: string | null },
): Promise<MedicineAlertTrigger | null> {
  if (episode.four_week_outcome === 'not_quit') return 'relapse';
  const [audited, alerted] = await Promise.all([
    db
      .selectFrom('audit_events')
      .select(['detail', 'at'])
      .where('entity_type', '=', SMOKING_CHANGE_ENTITY)
      .where('entity_id', '=', episode.id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('medicine_alerts')
      .select(['trigger', 'raised_at'])
      .where('episode_id', '=', episode.id)
      .orderBy('raised_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const fromAudit = audited?.detail ? (audited.detail.split(';')[0] as MedicineAlertTrigger) : null;
  const valid = (t: string | null): t is MedicineAlertTrigger =>
    t === 'quit_date_set' || t === 'switched_to_nrt_or_vape' || t === 'relapse';
  if (valid(fromAudit) && (!alerted || new Date(audited!.at) >= new Date(alerted.raised_at)))
    return fromAudit;
  if (alerted) return alerted.trigger;
  return episode.quit_date ? 'quit_date_set' : null;
}

/**
 * A listed medicine recorded after the quit date is set, while the person is still not smoking, is
 * alerted for at once: the change it depends on has already happened. Returns how many were raised.
 */
export async function alertForNewMedicine(
  db: Executor,
  episode: { id: string; quit_date: string | null; four_week_outcome?: string | null },
  episodeMedicineId: string,
  actorUserId: string | null,
): Promise<number> {
  if (!episode.quit_date) return 0;
  const change = await currentSmokingChange(db, episode);
  if (change === null || change === 'relapse') return 0;
  return raise(db, episode.id, change, actorUserId, { episodeMedicineId });
}

/** Which entries of the list a free-text name matches, for showing "on the list" as it is typed. */
export function listedAs(name: string, list: readonly AffectedMedicine[]): AffectedMedicine[] {
  return matchMedicines([name], list).map((m) => m.medicine);
}
