import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_AFFECTED_MEDICINES,
  SPS_SOURCE,
  alertsFor,
  directionFor,
  matchMedicines,
  prescriberLetter,
  type AffectedMedicine,
  type LetterInput,
} from './medicines.ts';
import { ISSUE_10_NAMES } from './medicines.fixtures.ts';

const byCode = (code: string) => DEFAULT_AFFECTED_MEDICINES.find((m) => m.code === code)!;

test('the default list: six clinically significant, the rest to review, each with its source and the day it was checked', () => {
  const significant = DEFAULT_AFFECTED_MEDICINES.filter((m) => m.concern === 'significant').map(
    (m) => m.code,
  );
  const review = DEFAULT_AFFECTED_MEDICINES.filter((m) => m.concern === 'review').map((m) => m.code);
  assert.deepEqual(significant, [
    'clozapine',
    'olanzapine',
    'theophylline',
    'aminophylline',
    'erlotinib',
    'riociguat',
  ]);
  assert.deepEqual(review, [
    'fluvoxamine',
    'duloxetine',
    'chlorpromazine',
    'haloperidol',
    'amitriptyline',
    'imipramine',
    'agomelatine',
    'clomipramine',
    'nortriptyline',
    'benperidol',
    'fluphenazine',
    'flupentixol',
    'zuclopenthixol',
    'warfarin',
    'ropinirole',
    'melatonin',
  ]);
  assert.equal(
    new Set(DEFAULT_AFFECTED_MEDICINES.map((m) => m.code)).size,
    DEFAULT_AFFECTED_MEDICINES.length,
  );
  const notOnSps = ['fluphenazine', 'flupentixol', 'zuclopenthixol'];
  for (const m of DEFAULT_AFFECTED_MEDICINES) {
    if (notOnSps.includes(m.code)) {
      assert.match(m.source, /Not on the SPS page when checked/, m.code);
      assert.equal(m.sourceUrl, null, m.code);
    } else {
      assert.equal(m.source, SPS_SOURCE, m.code);
      assert.equal(
        m.sourceUrl,
        'https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/',
      );
    }
    assert.equal(m.sourceCheckedOn, '2026-12-06', m.code);
    assert.equal(m.reviewedOn, null, 'no pharmacist has reviewed the defaults yet');
    assert.ok(m.advice.length > 40 && m.adviceOnRelapse.length > 40, m.code);
    assert.doesNotMatch(m.advice + m.adviceOnRelapse, /<|>/, 'plain text, no markup');
  }
});

test('the list is plain data that survives a round trip through JSON (a database row)', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(DEFAULT_AFFECTED_MEDICINES)), DEFAULT_AFFECTED_MEDICINES);
});

test('clozapine advice asks for levels before and about a week after stopping', () => {
  assert.match(byCode('clozapine').advice, /within days/);
  assert.match(byCode('clozapine').advice, /toxicity/);
  assert.match(byCode('clozapine').advice, /before the quit date and about a week after stopping/);
  assert.match(byCode('olanzapine').advice, /review the dose and consider checking levels/);
});

test('stopping, or switching to NRT or a vape, raises levels; relapse lowers them', () => {
  assert.equal(directionFor('quit_date_set'), 'levels may rise');
  assert.equal(directionFor('switched_to_nrt_or_vape'), 'levels may rise');
  assert.equal(directionFor('relapse'), 'levels may fall');
});

test('free-text medicines match by generic or brand name, with strengths and forms, any case', () => {
  const matched = matchMedicines([
    'Clozapine 100mg tablets',
    'Sertraline 50mg',
    'ZYPREXA 10 mg',
    'Uniphyllin Continus 200mg',
  ]);
  assert.deepEqual(
    matched.map((m) => [m.medicine.code, m.recordedAs]),
    [
      ['clozapine', ['Clozapine 100mg tablets']],
      ['olanzapine', ['ZYPREXA 10 mg']],
      ['theophylline', ['Uniphyllin Continus 200mg']],
    ],
  );
  assert.deepEqual(matchMedicines(['Sertraline', 'Nicotine 21mg/24h patch', 'Paracetamol']), []);
  assert.deepEqual(matchMedicines(['Xclozapinex', 'Hydroclozapinex']), [], 'not inside another word');
});

test('the names from issue 10 that raised no alert are matched: misspellings, strengths run in, forms and brands', () => {
  for (const [name, code] of ISSUE_10_NAMES) {
    assert.deepEqual(
      matchMedicines([name]).map((m) => m.medicine.code),
      [code],
      name,
    );
  }
  assert.deepEqual(
    alertsFor('quit_date_set', ['Clozapin 100mg']).map((a) => [a.code, a.recordedAs]),
    [['clozapine', ['Clozapin 100mg']]],
  );
});

test('medicines the issue asked to check against SPS and the BNF are on the default list', () => {
  for (const name of [
    'Clomipramine 25mg',
    'Fluphenazine decanoate depot',
    'Flupentixol 3mg',
    'Zuclopenthixol 10mg',
    'Warfarin 3mg',
    'Ropinirole 2mg',
  ])
    assert.equal(matchMedicines([name]).length, 1, name);
});

test('medicines close in spelling to listed ones are not taken for them', () => {
  for (const name of [
    'Quetiapine 50mg',
    'Fluoxetine 20mg',
    'fluoxetine',
    'Mirtazapine 15mg',
    'Citalopram',
    'Trimipramine',
  ])
    assert.deepEqual(matchMedicines([name]), [], name);
});

test('one medicine recorded twice gives one match naming both', () => {
  const matched = matchMedicines([
    'Clozapine 100mg',
    'clozapine 25mg',
    { code: 'clozapine', name: 'Denzapine 50mg' },
  ]);
  assert.equal(matched.length, 1);
  assert.deepEqual(matched[0]?.recordedAs, ['Clozapine 100mg', 'clozapine 25mg', 'Denzapine 50mg']);
});

test('coded medicines match by code', () => {
  assert.equal(
    matchMedicines([{ code: 'haloperidol', name: 'Depot injection' }])[0]?.medicine.code,
    'haloperidol',
  );
});

test('quit date alerts: significant first, levels may rise, contact the prescriber', () => {
  const alerts = alertsFor('quit_date_set', ['Duloxetine 60mg', 'Clozapine 300mg', 'Sertraline 100mg']);
  assert.deepEqual(
    alerts.map((a) => [a.code, a.concern, a.direction]),
    [
      ['clozapine', 'significant', 'levels may rise'],
      ['duloxetine', 'review', 'levels may rise'],
    ],
  );
  assert.match(alerts[0]!.text, /^Clozapine: levels may rise within days of stopping smoking\./);
  assert.match(alerts[0]!.text, /contact the prescriber before the quit date/);
  assert.match(alerts[1]!.text, /Let the prescriber know/);
  assert.equal(alerts[0]!.prescriberAdvice, byCode('clozapine').advice);
});

test('switching to NRT or a vape counts as stopping and says why', () => {
  const [alert] = alertsFor('switched_to_nrt_or_vape', ['Olanzapine 10mg']);
  assert.equal(alert?.direction, 'levels may rise');
  assert.match(alert!.text, /switching to them counts as stopping smoking/);
});

test('a relapse warns that levels may fall', () => {
  const [alert] = alertsFor('relapse', ['Clozapine 300mg']);
  assert.equal(alert?.direction, 'levels may fall');
  assert.match(alert!.text, /levels may fall now the person is smoking again/);
  assert.match(alert!.text, /may now be too low/);
  assert.equal(alert!.prescriberAdvice, byCode('clozapine').adviceOnRelapse);
});

test('no listed medicines, no alerts', () => {
  assert.deepEqual(alertsFor('quit_date_set', []), []);
  assert.deepEqual(alertsFor('relapse', ['Sertraline']), []);
});

test('the list an administrator edited is the one that runs', () => {
  const edited: AffectedMedicine[] = [
    { ...byCode('clozapine'), advice: 'Local advice: call the clozapine clinic.' },
    {
      code: 'ropinirole',
      name: 'Ropinirole',
      alsoKnownAs: [],
      concern: 'review',
      advice: 'Ropinirole levels may rise.',
      adviceOnRelapse: 'Ropinirole levels may fall.',
      source: 'Local formulary',
      sourceUrl: null,
      sourceCheckedOn: null,
      reviewedOn: '2026-01-10',
    },
  ];
  const alerts = alertsFor('quit_date_set', ['Clozapine', 'Ropinirole 2mg', 'Olanzapine'], edited);
  assert.deepEqual(
    alerts.map((a) => a.code),
    ['clozapine', 'ropinirole'],
  );
  assert.equal(alerts[0]!.prescriberAdvice, 'Local advice: call the clozapine clinic.');
});

const letter: LetterInput = {
  person: { name: 'Sam Taylor', dateOfBirth: '1980-01-31', nhsNumber: '9434765919' },
  medicine: byCode('clozapine'),
  event: 'quit_date_set',
  quitDate: '2026-03-12',
  service: { name: 'Example Stop Smoking Service', phone: '0114 000 0000', email: 'stop@example.org' },
  adviser: { name: 'Alex Jones', role: 'Stop smoking adviser' },
  today: '2026-03-02',
};

test('the prescriber letter at the quit date', () => {
  const text = prescriberLetter(letter);
  assert.equal(
    text,
    [
      '2 March 2026',
      '',
      'Dear prescriber,',
      '',
      'Sam Taylor, date of birth 31 January 1980, NHS number 943 476 5919',
      'Stopping smoking: clozapine levels may rise',
      '',
      'Sam Taylor is getting support to stop smoking from Example Stop Smoking Service. Their quit date is 12 March 2026. Their current medicines include clozapine.',
      '',
      'Chemicals in tobacco smoke (not nicotine) induce the liver enzyme CYP1A2, which metabolises clozapine. When someone stops smoking, the induction wears off and clozapine levels may rise within days. Nicotine replacement therapy and vapes do not induce CYP1A2, so using them instead of smoking counts as stopping.',
      '',
      byCode('clozapine').advice,
      '',
      "This advice comes from SPS: Managing specific interactions with smoking, https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/. Decisions about the dose are yours; please contact us if you would like to discuss Sam Taylor's support to stop smoking.",
      '',
      'Yours sincerely,',
      '',
      'Alex Jones',
      'Stop smoking adviser',
      'Example Stop Smoking Service',
      'Phone: 0114 000 0000',
      'Email: stop@example.org',
    ].join('\n'),
  );
});

test('the prescriber letter after a relapse asks about levels falling', () => {
  const text = prescriberLetter({
    ...letter,
    event: 'relapse',
    prescriberName: 'Dr Patel',
    today: '2026-04-20',
  });
  assert.match(text, /^20 April 2026\n\nDear Dr Patel,\n/);
  assert.match(text, /Starting smoking again: clozapine levels may fall/);
  assert.match(text, /has told us that they have started smoking again/);
  assert.match(text, /clozapine levels may fall\./);
  assert.ok(text.includes(byCode('clozapine').adviceOnRelapse));
  assert.ok(!text.includes(byCode('clozapine').advice));
});

test('the prescriber letter after switching to a vape, with the least details', () => {
  const text = prescriberLetter({
    ...letter,
    event: 'switched_to_nrt_or_vape',
    person: { name: 'Sam Taylor' },
    adviser: { name: 'Alex Jones' },
    service: { name: 'Example Stop Smoking Service' },
    medicine: { ...byCode('theophylline'), reviewedOn: '2026-01-10' },
  });
  assert.match(text, /\nSam Taylor\nStopping smoking: theophylline levels may rise\n/);
  assert.match(
    text,
    /has switched from smoking to nicotine replacement therapy or a vape \(quit date 12 March 2026\)/,
  );
  assert.match(text, /\(checked on 10 January 2026\)/);
  assert.match(text, /Alex Jones\nExample Stop Smoking Service$/);
  assert.doesNotMatch(text, /undefined|null|<[a-z]/);
});
