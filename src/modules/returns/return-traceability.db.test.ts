// Returns a manager can trace (issue 10): on the demonstration data, the return, the service manager's
// dashboard and the commissioner's dashboard count by one definition and give the same figures; and every
// figure of a generated return leads to the list of exactly the episodes (or referrals) it counts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LEEDS, MANCHESTER } from '../../demo/demo-data.ts';
import { loadDemoHistory } from '../../demo/demo-history.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { loadCommissionerDashboard } from '../dashboards/commissioner-dashboard.service.ts';
import { serviceDashboard } from '../dashboards/service-dashboard.service.ts';
import { addDays } from '../../platform/dates.ts';
import { decode, textOf } from '../organisations/test-html.ts';
import {
  previousQuarters,
  quarterLabel,
  quarterOf,
  quarterRange,
  type Period,
} from '../../platform/quarters.ts';
import { countsInReferralsReceived, episodeMeasures } from './return-measures.ts';
import { BREAKDOWNS } from './return-breakdowns.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { figuresOf } from './return-figures.ts';
import { computeReturnSql } from './return-counts.repository.ts';
import { factsForReturn } from './return-facts.repository.ts';

let t: TestApp;
let manager: HttpSession;
// A day pinned mid-quarter: the demonstration history and data are built from it.
const NOW = '2026-11-18T12:00:00Z';
const today = NOW.slice(0, 10);
const current = quarterOf(today);
const QUARTERS = [...previousQuarters(current, 8), current];

before(async () => {
  t = await buildTestApp({ demo: true, now: NOW });
  await loadDemoHistory(t.db, today);
  manager = await signIn(t.app, 'manager@demo.test');
});
after(() => t?.close());

/** A service manager of the authority's demo service, as the dashboards take one. */
async function managerOf(serviceName: string, la: string): Promise<StaffUser> {
  const org = await t.db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('name', '=', serviceName)
    .executeTakeFirstOrThrow();
  return {
    kind: 'user',
    id: '00000000-0000-4000-8000-00000000aaaa',
    email: 'manager.test@demo.test',
    name: 'Test Manager',
    role: 'service_manager',
    organisationId: org.id,
    organisationName: org.name,
    organisationType: 'stop_smoking_service',
    localAuthorityCode: la,
  };
}

const number = (v: string | number | null) => Number(v);

describe('one definition: the return, the service dashboard and the commissioner dashboard agree', () => {
  for (const [la, service] of [
    [LEEDS, 'Leeds Stop Smoking Service'],
    [MANCHESTER, 'Manchester Stop Smoking Service'],
  ] as const) {
    test(`${service}: every quarter of the demonstration data, counted three ways`, async () => {
      const user = await managerOf(service, la);
      for (const period of QUARTERS) {
        const label = `${la} ${quarterLabel(period.financialYear, period.quarter)}`;
        const ret = await computeReturnSql(t.db, la, { ...period, asOf: today });
        const svc = await serviceDashboard(t.db, user, period, today);
        const all = svc.tables['outcomes-adviser'].rows.at(-1)!.map((c) => c.value);
        const received = number(svc.tables['waiting-times'].rows[0]![1]!.value);
        const comm = (await loadCommissionerDashboard(t.db, la, period, 'cmhc_quit_dates', today))!;
        const c = comm.quarterCounts;

        assert.ok(ret.totals.setQuitDate > 0, `${label}: the demonstration data has quit dates`);
        const returnSays = {
          setQuitDate: ret.totals.setQuitDate,
          quits: ret.totals.quitSelfReported,
          coVerified: ret.totals.quitCoVerified,
          pending: ret.totals.pending,
          referrals: ret.totals.referralsReceived,
        };
        assert.deepEqual(
          {
            setQuitDate: number(all[1]!),
            quits: number(all[2]!),
            coVerified: number(all[3]!),
            pending: number(all[6]!),
            referrals: received,
          },
          returnSays,
          `${label}: the service dashboard and the return`,
        );
        assert.deepEqual(
          {
            setQuitDate: c.quitDates,
            quits: c.quits,
            coVerified: c.coVerified,
            pending: c.pending,
            referrals: c.referrals,
          },
          returnSays,
          `${label}: the commissioner's dashboard and the return`,
        );
        assert.deepEqual(
          [number(all[4]!), number(all[5]!)],
          [ret.totals.notQuit, ret.totals.lostToFollowUp],
          `${label}: not quit and lost to follow-up`,
        );
      }
    });
  }

  test('the caseload holds every open episode the return is still waiting on', async () => {
    const ret = await computeReturnSql(t.db, LEEDS, { ...current, asOf: today });
    const page = await manager.get('/episodes');
    assert.equal(page.statusCode, 200);
    const open = (page.body.match(/href="\/episodes\/[0-9a-f-]{36}"/g) ?? []).length;
    assert.ok(open >= ret.totals.pending, `caseload ${open}, waiting for follow-up ${ret.totals.pending}`);
  });
});

/** Every link to the records behind a figure on a return page, with the figure it names. */
function figureLinks(html: string) {
  return [...html.matchAll(/href="(\/returns\/[^"]*\/figures\?[^"]+)"/g)].map((m) => {
    const href = decode(m[1]!);
    const q = new URL(href, 'http://x').searchParams;
    return {
      href,
      breakdown: q.get('breakdown')!,
      category: q.get('category')!,
      measure: q.get('measure')!,
      version: Number(q.get('version')),
    };
  });
}

const ids = (html: string, path: 'episodes' | 'worklist') =>
  [...html.matchAll(new RegExp(`href="/${path}/([0-9a-f-]{36})"`, 'g'))].map((m) => m[1]!).sort();

async function generate(session: HttpSession, la: string, p: Period) {
  const path = `/returns/${la}/${p.financialYear}/${p.quarter}`;
  const res = await session.post(`${path}/generate`, {}, { from: path });
  assert.equal(res.statusCode, 303, 'generated');
  const row = await t.db
    .selectFrom('returns as r')
    .innerJoin('return_versions as v', (j) =>
      j.onRef('v.return_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
    )
    .select(['v.version', 'v.data'])
    .where('r.local_authority_code', '=', la)
    .where('r.financial_year', '=', p.financialYear)
    .where('r.quarter', '=', p.quarter)
    .executeTakeFirstOrThrow();
  return { path, version: row.version, data: row.data as QuarterlyReturn };
}

describe('every figure a manager signs off leads to exactly what it counts', () => {
  test('Leeds, this quarter: each figure links to a list of exactly the episodes or referrals it counts', async () => {
    const { path, version, data } = await generate(manager, LEEDS, current);
    const page = await manager.get(path);
    assert.equal(page.statusCode, 200);
    const links = figureLinks(page.body);
    const figures = figuresOf(data).filter((f) => f.value > 0);
    assert.ok(figures.length > 20);
    // Exactly one link for every figure that counts anything, each for this version.
    assert.deepEqual(
      links.map((l) => `${l.breakdown}/${l.category}/${l.measure}`).sort(),
      figures.map((f) => `${f.breakdown}/${f.category}/${f.measure}`).sort(),
    );
    assert.ok(links.every((l) => l.version === version));

    // What each figure counts, worked out independently from the facts by the return's own rules.
    const facts = await factsForReturn(t.db, LEEDS, { ...current, asOf: today });
    const scope = { localAuthorityCode: LEEDS, ...current, asOf: today };
    for (const link of links) {
      const res = await manager.get(link.href);
      assert.equal(res.statusCode, 200, link.href);
      const figure = figures.find(
        (f) => f.breakdown === link.breakdown && f.category === link.category && f.measure === link.measure,
      )!;
      const inCategory = (categoryOf: () => string) =>
        link.breakdown === 'total' || categoryOf() === link.category;
      const expected =
        link.measure === 'referralsReceived'
          ? facts.referrals
              .filter(
                (r) =>
                  countsInReferralsReceived(r, scope) &&
                  inCategory(() => BREAKDOWNS.referral_source.referralCategoryOf!(r)),
              )
              .map((r) => r.referralId!)
          : facts.episodes
              .filter(
                (e) =>
                  episodeMeasures(e, scope).includes(link.measure as never) &&
                  inCategory(() => BREAKDOWNS[link.breakdown as keyof typeof BREAKDOWNS].categoryOf(e)),
              )
              .map((e) => e.episodeId);
      const listed = ids(res.body, link.measure === 'referralsReceived' ? 'worklist' : 'episodes');
      assert.deepEqual(listed, expected.sort(), `${link.breakdown} ${link.category} ${link.measure}`);
      assert.equal(
        listed.length,
        figure.value,
        `${link.breakdown} ${link.category} ${link.measure}: the figure`,
      );
      assert.doesNotMatch(res.body, /Other services/, 'all are the service’s own');
    }
  });

  test('a version keeps what it counted: its lists stay the same after the records change', async () => {
    const { path, version, data } = await generate(manager, LEEDS, current);
    const pendingLink = `${path}/figures?version=${version}&breakdown=total&category=all&measure=pending`;
    const before = ids((await manager.get(pendingLink)).body, 'episodes');
    assert.equal(before.length, data.totals.pending);
    assert.ok(before.length > 0, 'someone is waiting for their follow-up');
    // The records change: one of them is closed with an outcome; the next version will count it elsewhere.
    await t.db
      .insertInto('episode_outcomes')
      .values({
        episode_id: before[0]!,
        outcome: 'not_quit',
        follow_up_on: today,
        smoked_days_15_to_28: true,
        co_ppm: null,
        reason: 'Test',
        session_id: null,
        recorded_by: null,
      })
      .onConflict((oc) => oc.column('episode_id').doNothing())
      .execute();
    assert.deepEqual(ids((await manager.get(pendingLink)).body, 'episodes'), before);
  });

  test('a commissioner sees figures only, and a figure that is not one is not found', async () => {
    const commissioner = await signIn(t.app, 'commissioner@demo.test');
    const path = `/returns/${LEEDS}/${current.financialYear}/${current.quarter}`;
    const page = await commissioner.get(path);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(figureLinks(page.body), [], 'no links to people for a commissioner');
    const { version } = await generate(manager, LEEDS, current);
    assert.equal(
      (
        await commissioner.get(
          `${path}/figures?version=${version}&breakdown=total&category=all&measure=pending`,
        )
      ).statusCode,
      403,
    );
    for (const q of [
      `version=${version}&breakdown=nonsense&category=all&measure=pending`,
      `version=${version}&breakdown=sex&category=nonsense&measure=pending`,
      `version=${version}&breakdown=sex&category=female&measure=referralsReceived`,
      `version=999&breakdown=total&category=all&measure=pending`,
    ])
      assert.equal((await manager.get(`${path}/figures?${q}`)).statusCode, 404, q);
  });

  test('an episode of another service in the return is counted there, never named, and said to be another service’s', async () => {
    const other = await t.db
      .insertInto('organisations')
      .values({
        name: 'Leeds Outreach Stop Smoking Service',
        type: 'stop_smoking_service',
        local_authority_code: LEEDS,
        ods_code: null,
        email: null,
        phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { start, end } = quarterRange(current.financialYear, current.quarter);
    await t.db
      .insertInto('commissions')
      .values({
        local_authority_code: LEEDS,
        service_organisation_id: other.id,
        starts_on: start,
        ends_on: end,
      })
      .execute();
    const person = await t.db
      .insertInto('people')
      .values({
        service_organisation_id: other.id,
        given_name: 'Quinlan',
        family_name: 'Outreachperson',
        date_of_birth: '1970-01-01',
        postcode: 'LS9 7TF',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('episodes')
      .values({
        person_id: person.id,
        service_organisation_id: other.id,
        local_authority_code: LEEDS,
        referral_id: null,
        started_on: start,
        quit_date: start > addDays(today, -1) ? today : start,
        mental_health: 'not_known',
        in_talking_therapies: 'not_known',
      } as never)
      .execute();
    const { path, version, data } = await generate(manager, LEEDS, current);
    const res = await manager.get(
      `${path}/figures?version=${version}&breakdown=total&category=all&measure=setQuitDate`,
    );
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.doesNotMatch(text, /Quinlan|Outreachperson/);
    assert.match(text, /Other services/);
    assert.match(text, /Leeds Outreach Stop Smoking Service 1/);
    assert.equal(ids(res.body, 'episodes').length + 1, data.totals.setQuitDate, 'own listed, plus one other');
    const returnPage = textOf((await manager.get(path)).body);
    assert.match(returnPage, /is an episode of other services\. Only their own staff can open it\./);
  });
});
