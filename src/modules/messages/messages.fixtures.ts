// Steps the messages tests share, taken as an adviser takes them through HTTP: a person met directly, their
// assessment and quit date, an extra session booked, their say in messages.
import assert from 'node:assert/strict';
import type { Database } from '../../db/database.ts';
import type { HttpSession } from '../../../test/helpers/http-session.ts';
import { dateBoxes } from '../treatment/treatment.schemas.ts';

export async function newPerson(
  adviser: HttpSession,
  givenName: string,
  contact: { phone?: string; email?: string } = { phone: '07700 900222' },
): Promise<{ episodeId: string; personId: string }> {
  const res = await adviser.post(
    '/people',
    {
      givenName,
      familyName: 'Messages',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '1985',
      postcode: 'LS6 2AB',
      phone: contact.phone ?? '',
      email: contact.email ?? '',
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'no',
    },
    { from: '/people/new' },
  );
  const episodeId = /\/episodes\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(episodeId, `expected an episode, got ${res.statusCode} ${res.body.slice(0, 300)}`);
  const page = await adviser.get(`/episodes/${episodeId}`);
  const personId = /href="\/people\/([0-9a-f-]{36})"/.exec(page.body)?.[1];
  assert.ok(personId);
  return { episodeId, personId };
}

export async function assessAndPlan(
  adviser: HttpSession,
  episodeId: string,
  assessedOn: string,
  quitDate: string,
) {
  const a = await adviser.post(
    `/episodes/${episodeId}/assessment`,
    {
      ...dateBoxes('assessedOn', assessedOn),
      cigarettesPerDay: '15',
      timeToFirstCigarette: '6_to_30',
      pastQuitAttempts: '1',
      coPpm: '20',
      vapingStatus: 'never',
      mentalHealth: 'anxiety',
      mentalHealthBasis: 'diagnosed',
      inTalkingTherapies: 'no',
    },
    { from: `/episodes/${episodeId}/assessment` },
  );
  assert.equal(a.statusCode, 303, a.body.slice(0, 500));
  await setQuitDate(adviser, episodeId, quitDate);
}

export async function setQuitDate(adviser: HttpSession, episodeId: string, quitDate: string) {
  const p = await adviser.post(
    `/episodes/${episodeId}/plan`,
    { ...dateBoxes('quitDate', quitDate), interventionType: '08', setting: 'community' },
    { from: `/episodes/${episodeId}/plan` },
  );
  assert.equal(p.statusCode, 303, p.body.slice(0, 800));
}

/** Consent by text (or email) within hours, as the adviser records it. */
export async function giveConsent(
  adviser: HttpSession,
  episodeId: string,
  over: Record<string, string> = {},
) {
  const res = await adviser.post(
    `/episodes/${episodeId}/messages`,
    { consent: 'yes', channel: 'sms', earliestHour: '9', latestHour: '20', ...over },
    { from: `/episodes/${episodeId}/messages` },
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 800));
}

/** An extra session due on `day`; returns its booking page's address. */
export async function extraSession(adviser: HttpSession, db: Database, episodeId: string, day: string) {
  const [y, m, d] = day.split('-');
  const added = await adviser.post(
    `/episodes/${episodeId}/sessions`,
    { 'extraOn-day': String(Number(d)), 'extraOn-month': String(Number(m)), 'extraOn-year': y! },
    { from: `/episodes/${episodeId}/sessions/new` },
  );
  assert.equal(added.statusCode, 303, added.body.slice(0, 300));
  const session = await db
    .selectFrom('episode_sessions')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('kind', '=', 'extra')
    .where('scheduled_on', '=', day)
    .executeTakeFirstOrThrow();
  return `/episodes/${episodeId}/sessions/${session.id}/appointment`;
}

export async function book(adviser: HttpSession, db: Database, url: string, day: string, time: string) {
  const [y, m, d] = day.split('-');
  const [site, me] = await Promise.all([
    db
      .selectFrom('sites')
      .select('id')
      .where('name', '=', 'Leeds city centre clinic')
      .executeTakeFirstOrThrow(),
    db.selectFrom('users').select('id').where('email', '=', 'adviser@demo.test').executeTakeFirstOrThrow(),
  ]);
  const res = await adviser.post(
    url,
    {
      'day-day': String(Number(d)),
      'day-month': String(Number(m)),
      'day-year': y!,
      time,
      mode: 'face_to_face',
      siteId: site.id,
      adviserId: me.id,
    },
    { from: url },
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 800));
}

export const messagesOf = (db: Database, episodeId: string) =>
  db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('created_at')
    .orderBy('due_at')
    .execute();
