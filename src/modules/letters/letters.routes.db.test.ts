// Letters to prescribers and notes to clinicians, through HTTP on the real database engine, sent by the
// job queue to a real SMTP server started here (test/helpers/smtp-test-server.ts) and read back as a mail
// client and a PDF reader would: the PDF and the page hold the same words, the email arrives once with
// the PDF, a refused address or a server that is down ends as "not sent" with the way to print instead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { signIn, type HttpSession } from '../../../test/helpers/http-session.ts';
import { readPdf, sameWords } from '../../../test/helpers/pdf-read.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../../../test/helpers/smtp-test-server.ts';
import { errorsByField, inputValue, textOf } from '../organisations/test-html.ts';
import { raiseMedicineAlerts } from '../medicines/medicine-alerts.service.ts';
import { addMedicine, newEpisode, userId } from '../medicines/medicines.fixtures.ts';
import { startJobQueue } from '../../platform/job-queue.ts';
import { letterWorkQueue, type LetterSenderDeps } from './letter-sender.service.ts';
import { smtpLetterMailer, type LetterMailer } from './letter-mailer.ts';

let t: TestApp;
let smtp: SmtpTestServer;
let adviser: HttpSession;
let adviserId: string;
const mailers: LetterMailer[] = [];
const logged: string[] = [];
const log = {
  info: (o: object, m: string) => void logged.push(JSON.stringify(o) + m),
  warn: (o: object, m: string) => void logged.push(JSON.stringify(o) + m),
  error: (o: object, m: string) => void logged.push(JSON.stringify(o) + m),
};

before(async () => {
  smtp = await startSmtpTestServer();
  t = await buildTestApp({
    demo: true,
    now: '2026-12-07T10:02:00Z',
    env: {
      LETTERS_SMTP_HOST: '127.0.0.1',
      LETTERS_SMTP_PORT: String(smtp.port),
      LETTERS_SMTP_SECURITY: 'none',
      LETTERS_SMTP_USER: smtp.user,
      LETTERS_SMTP_PASSWORD: smtp.password,
      LETTERS_SMTP_FROM: 'stopsmoking.leeds@nhs.net',
    },
  });
  adviser = await signIn(t.app, 'adviser@demo.test');
  adviserId = await userId(t.db, 'adviser@demo.test');
});
after(async () => {
  for (const m of mailers) m.close();
  await t.close();
  await smtp.close();
});

/** Runs the letters' work queue as the server does, on `instances` instances at once. */
async function runQueue(opts: { port?: number; instances?: number } = {}) {
  const mailer = smtpLetterMailer({ ...t.config.letters.smtp!, port: opts.port ?? smtp.port });
  mailers.push(mailer);
  const deps: LetterSenderDeps = { db: t.db, mailer, clock: t.clock, log };
  const queues = [];
  for (let i = 0; i < (opts.instances ?? 1); i++)
    queues.push(
      await startJobQueue(t.db, log, {
        clock: t.clock,
        intervalMs: 60_000,
        pollMs: null,
        jobs: [],
        supervise: false,
        workQueues: [letterWorkQueue(deps)],
      }),
    );
  try {
    await Promise.all(queues.map((q) => q.tick()));
    await Promise.all(queues.map((q) => q.tick()));
  } finally {
    for (const q of queues) await q.stop();
  }
}

async function alertLetter(givenName: string) {
  const { episodeId } = await newEpisode(t.db, {
    givenName,
    quitDate: '2026-12-01',
    nhsNumber: '9434765919',
  });
  await addMedicine(t.db, episodeId, 'Clozapine 100mg', {
    prescriberKind: 'psychiatrist',
    prescriberName: 'Dr Ana Rees',
  });
  await raiseMedicineAlerts(t.db, episodeId, 'quit_date_set', adviserId);
  const alert = await t.db
    .selectFrom('medicine_alerts')
    .select('id')
    .where('episode_id', '=', episodeId)
    .executeTakeFirstOrThrow();
  return { episodeId, alertId: alert.id, url: `/episodes/${episodeId}/medicine-alerts/${alert.id}/letter` };
}

/** The letter as the page shows it: its heading, then the words of the letter itself. */
function pageLetter(html: string) {
  const article = /<article class="app-letter"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
  const title = /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '';
  return { title: textOf(title).trim(), words: textOf(article).trim() };
}

const deliveries = (episodeId: string) =>
  t.db.selectFrom('letter_deliveries').selectAll().where('episode_id', '=', episodeId).execute();

test('the PDF download holds the same words as the page, with its title, language and tags, and is audited', async () => {
  const { url, alertId } = await alertLetter('Pat');
  const page = await adviser.get(url);
  assert.equal(page.statusCode, 200);
  const shown = pageLetter(page.body);
  assert.equal(shown.title, 'Letter to the prescriber about clozapine');
  assert.match(shown.words, /Dear Dr Ana Rees,/);
  assert.ok(page.body.includes(`href="${url}.pdf"`), 'the page links to its PDF');

  const res = await adviser.get(`${url}.pdf`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.match(String(res.headers['cache-control']), /no-store/);
  assert.match(
    String(res.headers['content-disposition']),
    /^attachment; filename="letter-[0-9a-f]{8}\.pdf"$/,
  );
  const pdf = await readPdf(res.rawPayload);
  assert.equal(pdf.info.Title, shown.title);
  assert.equal(pdf.info.Language, 'en-GB');
  assert.equal(pdf.marked, true);
  assert.ok(pdf.roles.includes('H1') && pdf.roles.includes('P'), pdf.roles.join(' '));
  sameWords(pdf.text, [shown.title, shown.words]);

  const audits = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('entity_id', '=', alertId)
    .where('actor_user_id', '=', adviserId)
    .execute();
  assert.ok(audits.some((a) => a.detail === 'letter to the prescriber downloaded as a PDF'));
});

test('sent by secure email: it arrives once with the PDF attached, and the page says when and to whom', async () => {
  const { url, episodeId, alertId } = await alertLetter('Robin');
  const seen = pageLetter((await adviser.get(url)).body);
  const sent = await adviser.post(`${url}/send`, { email: ' Dr.Rees@NHS.NET ' }, { from: url });
  assert.equal(sent.statusCode, 303);
  const [row] = await deliveries(episodeId);
  assert.equal(row!.status, 'scheduled');
  assert.equal(row!.recipient_email, 'Dr.Rees@nhs.net');

  // The record changes before the queue sends it: what goes is the letter the adviser saw.
  await t.db
    .updateTable('episode_medicines')
    .set({ prescriber_name: 'Dr Bo Ng' })
    .where('episode_id', '=', episodeId)
    .execute();
  const before = smtp.received.length;
  // Two instances offer and fetch it at once; then once more: still one email.
  await runQueue({ instances: 2 });
  await runQueue();
  const arrived = smtp.received.slice(before);
  assert.equal(arrived.length, 1);
  const { to, mail } = arrived[0]!;
  assert.deepEqual(to, ['Dr.Rees@nhs.net']);
  assert.equal(mail.messageId, `<${row!.id}@nhs.net>`);
  assert.doesNotMatch(`${mail.subject} ${mail.text}`, /Robin|Medicines|9434765919/);
  assert.equal(mail.attachments.length, 1);
  const attachment = mail.attachments[0]!;
  assert.equal(attachment.contentType, 'application/pdf');
  sameWords((await readPdf(attachment.content)).text, [seen.title, seen.words]);
  assert.match(pageLetter((await adviser.get(url)).body).words, /Dear Dr Bo Ng,/);

  const [done] = await deliveries(episodeId);
  assert.equal(done!.status, 'sent');
  assert.equal(done!.message_id, mail.messageId);
  const page = textOf((await adviser.get(url)).body);
  assert.match(page, /Sent to Dr\.Rees@nhs\.net on 7 December 2026 at 10:02/);
  // And on the episode, beside the alert.
  assert.match(
    textOf((await adviser.get(`/episodes/${episodeId}`)).body),
    /Sent to Dr\.Rees@nhs\.net on 7 December 2026 at 10:02\./,
  );
  const audits = await t.db
    .selectFrom('audit_events')
    .select(['detail', 'actor_user_id'])
    .where('entity_id', '=', alertId)
    .execute();
  assert.ok(
    audits.some((a) => a.actor_user_id === adviserId && /to be sent by secure email/.test(a.detail!)),
  );
  assert.ok(audits.some((a) => a.detail === `letter sent by secure email (delivery ${row!.id})`));
  // Nothing of the letter or its address was logged.
  assert.doesNotMatch(logged.join('\n'), /Robin|Rees|nhs\.net|clozapine/i);
});

test('an address outside the secure domains is refused with the error summary, what was typed kept', async () => {
  const { url, episodeId } = await alertLetter('Sam');
  for (const email of [
    'dr.rees@gmail.com',
    'dr.rees@nhs.net.example.com',
    'dr.rees@x.nhs.net',
    'Dr Rees <a@nhs.net>',
    '',
  ]) {
    const res = await adviser.post(`${url}/send`, { email }, { from: url });
    assert.equal(res.statusCode, 400, email);
    assert.match(
      errorsByField(res.body).email ?? '',
      email ? /secure email address ending in @nhs\.net|correct format/ : /Enter their secure email address/,
      email,
    );
    assert.equal(inputValue(res.body, 'email'), email);
  }
  assert.equal((await deliveries(episodeId)).length, 0);
});

test('a recipient the server refuses is not sent, and the page says so with the way to print instead', async () => {
  const { url, episodeId } = await alertLetter('Alex');
  smtp.refuse.add('nobody@nhs.net');
  await adviser.post(`${url}/send`, { email: 'nobody@nhs.net' }, { from: url });
  const before = smtp.received.length;
  await runQueue();
  assert.equal(smtp.received.length, before);
  const [row] = await deliveries(episodeId);
  assert.equal(row!.status, 'failed');
  assert.match(row!.reason!, /refused it \(550\)/);
  const page = textOf((await adviser.get(url)).body);
  assert.match(page, /This letter was not sent/);
  assert.match(page, /Not sent to nobody@nhs\.net: the mail server refused it \(550\)/);
  assert.match(page, /Print it or download it and send it another way/);
  assert.doesNotMatch(logged.join('\n'), /nobody/);
});

test('while the mail server is down the letter is tried again with back-off, then shown as not sent', async () => {
  const { url, episodeId } = await alertLetter('Kit');
  await adviser.post(`${url}/send`, { email: 'kit.gp@nhs.net' }, { from: url });
  // A port with nothing listening: connections are refused, as when the server is down.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));

  await runQueue({ port });
  const [row] = await deliveries(episodeId);
  assert.equal(row!.status, 'sending');
  const job = () =>
    sql<{
      state: string;
    }>`select state from pgboss.job where name = 'send-letter' and id = ${row!.id}::uuid`.execute(t.db);
  assert.equal((await job()).rows[0]!.state, 'retry');
  assert.match(textOf((await adviser.get(url)).body), /Sending to kit\.gp@nhs\.net/);
  // Its last try, still down.
  await sql`update pgboss.job set retry_count = retry_limit, start_after = now() where id = ${row!.id}::uuid`.execute(
    t.db,
  );
  await runQueue({ port });
  const [failed] = await deliveries(episodeId);
  assert.equal(failed!.status, 'failed');
  assert.match(failed!.reason!, /could not be reached/);
  assert.match(textOf((await adviser.get(url)).body), /This letter was not sent.*Print it or download it/);
});

test('a note to the therapist or GP: its page, its PDF and its sending, to the address recorded', async () => {
  const { episodeId } = await newEpisode(t.db, { givenName: 'Jo', quitDate: '2026-12-01' });
  const url = `/episodes/${episodeId}/clinician-note`;
  await adviser.post(
    url,
    {
      action: 'consent',
      consent: 'yes',
      clinicianName: 'Dr Yu',
      clinicianOrganisation: 'Hyde Park Surgery',
      clinicianContact: 'dr.yu@nhs.net',
    },
    { from: url },
  );
  const made = await adviser.post(url, { action: 'note' }, { from: url });
  const noteUrl = String(made.headers.location);
  const page = await adviser.get(noteUrl);
  assert.equal(inputValue(page.body, 'email'), 'dr.yu@nhs.net');
  const shown = pageLetter(page.body);
  assert.equal(shown.title, 'Note to Dr Yu, Hyde Park Surgery');
  const pdf = await adviser.get(`${noteUrl}/pdf`);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  sameWords((await readPdf(pdf.rawPayload)).text, [shown.title, shown.words]);

  await adviser.post(`${noteUrl}/send`, { email: 'dr.yu@nhs.net' }, { from: noteUrl });
  const before = smtp.received.length;
  await runQueue();
  const arrived = smtp.received.slice(before);
  assert.equal(arrived.length, 1);
  assert.deepEqual(arrived[0]!.to, ['dr.yu@nhs.net']);
  sameWords((await readPdf(arrived[0]!.mail.attachments[0]!.content)).text, [shown.title, shown.words]);
  assert.match(
    textOf((await adviser.get(noteUrl)).body),
    /Sent to dr\.yu@nhs\.net on 7 December 2026 at 10:02/,
  );
  assert.match(
    textOf((await adviser.get(`/episodes/${episodeId}`)).body),
    /Sent to dr\.yu@nhs\.net on 7 December 2026 at 10:02\./,
  );
});

test("another service's adviser cannot see, download or send a letter or a note, and nothing is queued", async () => {
  const { url, episodeId } = await alertLetter('Lee');
  await t.db
    .insertInto('clinician_notes')
    .values({ episode_id: episodeId, recipient: 'Dr X', body: 'Private', created_by: adviserId })
    .execute();
  const note = await t.db
    .selectFrom('clinician_notes')
    .select('id')
    .where('episode_id', '=', episodeId)
    .executeTakeFirstOrThrow();
  const noteUrl = `/episodes/${episodeId}/clinician-notes/${note.id}`;
  const mcr = await signIn(t.app, 'adviser.manchester@demo.test');
  await mcr.ensureCsrfToken('/episodes');
  for (const u of [url, `${url}.pdf`, noteUrl, `${noteUrl}/pdf`])
    assert.equal((await mcr.get(u)).statusCode, 404, u);
  for (const u of [`${url}/send`, `${noteUrl}/send`]) {
    assert.equal((await mcr.post(u, { email: 'someone@nhs.net' })).statusCode, 404, u);
    assert.equal((await mcr.post(u, { email: 'not-secure@example.com' })).statusCode, 404, u);
  }
  assert.equal((await deliveries(episodeId)).length, 0);
  // A referrer cannot reach them either.
  const referrer = await signIn(t.app, 'referrer@demo.test');
  assert.equal((await referrer.get(`${url}.pdf`)).statusCode, 403);
});
