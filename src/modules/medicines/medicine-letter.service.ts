import type { Database } from '../../db/database.ts';
import { londonDate } from '../../platform/clock.ts';
import type { IsoDate } from '../../platform/dates.ts';
import { notFound } from '../../platform/errors.ts';
import { buildLetter, type Letter } from '../../platform/letter.ts';
import { roleLabelOf, type StaffUser } from '../../platform/roles.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import * as repo from './medicines.repository.ts';
import { alertView, listByCode, prescriberLabel } from './medicines.section.ts';
import { serviceLetterhead } from './medicines.service.ts';
import { prescriberLetter } from './medicines.ts';

// The letter to the prescriber about one alert, as one Letter: the page, its PDF and the secure email all
// show this, so their words are the same (platform/letter.ts).

export async function prescriberLetterFor(
  db: Database,
  user: StaffUser,
  episode: EpisodeRow,
  alertId: string,
  today: IsoDate,
) {
  const [alert, byCode, service] = await Promise.all([
    repo.findAlert(db, episode.id, alertId),
    listByCode(db),
    serviceLetterhead(db, episode.service_organisation_id),
  ]);
  const medicine = alert ? byCode.get(alert.medicine_code) : undefined;
  if (!alert || !medicine) throw notFound('Alert not found');
  const body = prescriberLetter({
    person: {
      name: `${episode.given_name} ${episode.family_name}`,
      dateOfBirth: episode.date_of_birth,
      nhsNumber: episode.nhs_number,
    },
    medicine,
    event: alert.trigger,
    quitDate: episode.quit_date ?? londonDate(new Date(alert.raised_at)),
    service,
    adviser: { name: user.name, role: roleLabelOf(user.role, user.organisationType) },
    prescriberName: alert.prescriber_name,
    today,
  });
  const letter: Letter = buildLetter({
    title: `Letter to the prescriber about ${medicine.name.toLowerCase()}`,
    from: service,
    to: alert.prescriber_kind
      ? prescriberLabel(alert.prescriber_kind, alert.prescriber_name)
      : 'The prescriber',
    body,
  });
  return { alert, view: alertView(episode.id, alert, medicine), letter };
}

/** Producing the letter (the page or its PDF) is recorded on the alert. */
export const markLetterProduced = (db: Database, alertId: string) => repo.markLetterProduced(db, alertId);
