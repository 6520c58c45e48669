import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { FakeNotify } from '../../test/helpers/fake-notify.ts';
import { ConfigError, loadConfig, NOTIFY_TEMPLATE_VARIABLES, type NotifyTemplateIds } from '../config.ts';
import {
  channelsOf,
  createNotifier,
  fillTemplate,
  GovUkNotifyNotifier,
  LogNotifier,
  NotifyError,
  sendSafely,
  SmtpNotifier,
  TEMPLATES,
  type Message,
  type Notifier,
} from './notify.ts';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `mortar_test-${SERVICE_ID}-${SECRET}`;
const EMAIL_TEMPLATE = '0d1b4e2a-3b7f-4c55-9f2e-111111111111';
const SMS_TEMPLATE = '0d1b4e2a-3b7f-4c55-9f2e-222222222222';
const RESET_TEMPLATE = '0d1b4e2a-3b7f-4c55-9f2e-333333333333';
// Every template variable with an id of its own; the self-referral and reset ones as named above.
const TEMPLATE_ENV: Record<string, string> = Object.fromEntries(
  Object.values(NOTIFY_TEMPLATE_VARIABLES)
    .flatMap((v) => Object.values(v) as string[])
    .map((name, i) => [name, `0d1b4e2a-3b7f-4c55-9f2e-${String(900 + i).padStart(12, '0')}`]),
);
TEMPLATE_ENV.NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL = EMAIL_TEMPLATE;
TEMPLATE_ENV.NOTIFY_TEMPLATE_SELF_REFERRAL_SMS = SMS_TEMPLATE;
TEMPLATE_ENV.NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL = RESET_TEMPLATE;
const NOTIFY_TEMPLATES = Object.fromEntries(
  Object.entries(NOTIFY_TEMPLATE_VARIABLES).map(([t, v]) => [
    t,
    Object.fromEntries(Object.entries(v).map(([channel, name]) => [channel, TEMPLATE_ENV[name]])),
  ]),
) as NotifyTemplateIds;

const message: Message = {
  to: { email: 'sam.person@example.com', phone: '07700 900123' },
  template: 'self_referral_confirmation',
  personalisation: {
    reference: 'MOR-000042',
    service_name: 'Leeds Stop Smoking Service',
    when: 'within 3 working days, by text message',
  },
  reference: 'MOR-000042',
};
const PERSONAL = ['sam.person', 'example.com', '07700', '900123'];

const captureLog = () => {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  return {
    lines,
    info: (obj: Record<string, unknown>, msg: string) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj: Record<string, unknown>, msg: string) => void lines.push({ level: 'warn', obj, msg }),
  };
};
const assertNothingPersonal = (what: unknown) => {
  const s = JSON.stringify(what);
  for (const p of PERSONAL) assert.ok(!s.includes(p), `${p} in ${s}`);
};

const env = (extra: Record<string, string>) => ({ NODE_ENV: 'test', ...extra });

describe('choosing a transport from the configuration', () => {
  test('log by default; notify needs its key and every template id; smtp needs its URL and sender', () => {
    assert.deepEqual(loadConfig(env({})).notify, { transport: 'log', ratePerMinute: 3000 });
    assert.deepEqual(
      loadConfig(env({ NOTIFY_TRANSPORT: 'notify', NOTIFY_API_KEY: API_KEY, ...TEMPLATE_ENV })).notify,
      { transport: 'notify', apiKey: API_KEY, templates: NOTIFY_TEMPLATES, ratePerMinute: 3000 },
    );
    assert.deepEqual(
      loadConfig(
        env({
          NOTIFY_TRANSPORT: 'smtp',
          SMTP_URL: 'smtp://mail.example.com:587',
          SMTP_FROM: 'Mortar <no-reply@example.com>',
        }),
      ).notify,
      {
        transport: 'smtp',
        url: 'smtp://mail.example.com:587',
        from: 'Mortar <no-reply@example.com>',
        ratePerMinute: 3000,
      },
    );

    const refused = (e: Record<string, string>, ...names: string[]) =>
      assert.throws(
        () => loadConfig(env(e)),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          for (const n of names)
            assert.match(err.message, new RegExp(`${n}: `), `${n} named in: ${err.message}`);
          // A secret is never repeated back in an error.
          assert.ok(!err.message.includes(SECRET));
          return true;
        },
      );
    refused(
      { NOTIFY_TRANSPORT: 'notify' },
      'NOTIFY_API_KEY',
      'NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL',
      'NOTIFY_TEMPLATE_SELF_REFERRAL_SMS',
      'NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL',
    );
    refused(
      {
        NOTIFY_TRANSPORT: 'notify',
        NOTIFY_API_KEY: API_KEY,
        NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL: EMAIL_TEMPLATE,
        NOTIFY_TEMPLATE_SELF_REFERRAL_SMS: SMS_TEMPLATE,
      },
      'NOTIFY_TEMPLATE_PASSWORD_RESET_EMAIL',
      'NOTIFY_TEMPLATE_CHECK_IN_SMS',
      'NOTIFY_TEMPLATE_REFERRER_UPDATE_EMAIL',
    );
    const { NOTIFY_TEMPLATE_CHECK_IN_SMS: _unset, ...allButOne } = TEMPLATE_ENV;
    refused(
      { NOTIFY_TRANSPORT: 'notify', NOTIFY_API_KEY: API_KEY, ...allButOne },
      'NOTIFY_TEMPLATE_CHECK_IN_SMS',
    );
    refused({ NOTIFY_CALLBACK_TOKEN: 'too-short' }, 'NOTIFY_CALLBACK_TOKEN');
    refused({ NOTIFY_RATE_PER_MINUTE: '3001' }, 'NOTIFY_RATE_PER_MINUTE');
    refused(
      {
        NOTIFY_TRANSPORT: 'notify',
        NOTIFY_API_KEY: API_KEY,
        NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL: EMAIL_TEMPLATE,
      },
      'NOTIFY_TEMPLATE_SELF_REFERRAL_SMS',
    );
    refused({ NOTIFY_TRANSPORT: 'notify', NOTIFY_API_KEY: `not-a-key-${SECRET}` }, 'NOTIFY_API_KEY');
    refused(
      {
        NOTIFY_TRANSPORT: 'notify',
        NOTIFY_API_KEY: API_KEY,
        NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL: 'x',
        NOTIFY_TEMPLATE_SELF_REFERRAL_SMS: SMS_TEMPLATE,
      },
      'NOTIFY_TEMPLATE_SELF_REFERRAL_EMAIL',
    );
    refused({ NOTIFY_TRANSPORT: 'smtp' }, 'SMTP_URL', 'SMTP_FROM');
    refused(
      { NOTIFY_TRANSPORT: 'smtp', SMTP_URL: 'http://mail.example.com', SMTP_FROM: 'a@b.c' },
      'SMTP_URL',
    );
    refused({ NOTIFY_TRANSPORT: 'carrier-pigeon' }, 'NOTIFY_TRANSPORT');
  });

  test('createNotifier builds the transport the configuration names', () => {
    const log = captureLog();
    assert.ok(createNotifier({ transport: 'log' }, log) instanceof LogNotifier);
    const notify = createNotifier(
      {
        transport: 'notify',
        apiKey: API_KEY,
        templates: NOTIFY_TEMPLATES,
      },
      log,
    );
    assert.ok(notify instanceof GovUkNotifyNotifier);
    assert.equal(notify.transport, 'notify');
    const smtp = createNotifier(
      { transport: 'smtp', url: 'smtp://127.0.0.1:2525', from: 'a@example.com' },
      log,
    );
    assert.ok(smtp instanceof SmtpNotifier);
    assert.equal(smtp.transport, 'smtp');
  });

  test('the self-referral settings have safe defaults', () => {
    const c = loadConfig(env({}));
    assert.deepEqual(c.selfReferral, { rateLimitMax: 5, rateLimitWindowMs: 600_000, contactWorkingDays: 3 });
    assert.throws(
      () => loadConfig(env({ SELF_REFERRAL_RATE_LIMIT_MAX: '0' })),
      /SELF_REFERRAL_RATE_LIMIT_MAX/,
    );
  });
});

describe('templates', () => {
  test('placeholders are filled, and a missing one stays visible', () => {
    assert.equal(
      fillTemplate('Ref ((reference)) from ((service_name))', { reference: 'MOR-1' }),
      'Ref MOR-1 from ((service_name))',
    );
    const t = TEMPLATES.self_referral_confirmation;
    const sms = t.sms ?? '';
    for (const text of [t.subject, t.email, sms])
      assert.ok(!/\(\((?!reference|service_name|when)/.test(text), text);
    assert.match(t.email, /0300 123 1044/);
    assert.match(t.email, /NHS 111 and choose option 2/);
    assert.ok(sms && fillTemplate(sms, message.personalisation).length <= 160, 'one text message');
    // The reset email has its link and how long it lasts, and no other placeholder; it has no text message.
    const reset = TEMPLATES.password_reset;
    for (const text of [reset.subject, reset.email]) assert.ok(!/\(\((?!link|minutes)/.test(text), text);
    assert.match(reset.email, /\(\(link\)\)/);
    assert.equal(reset.sms, undefined);
    assert.deepEqual(channelsOf({ ...message, to: { phone: '07700 900123' } }), ['sms']);
  });
});

describe('the log transport', () => {
  test('keeps the message in its outbox and logs only the template and channels', async () => {
    const log = captureLog();
    const n = new LogNotifier(log, 2);
    assert.deepEqual(await n.send(message), { channels: ['email', 'sms'] });
    assert.equal(n.outbox.length, 1);
    assert.match(
      n.outbox[0]!.sms,
      /^Your stop smoking reference is MOR-000042\. Leeds Stop Smoking Service will contact you within 3 working days/,
    );
    assert.equal(n.outbox[0]!.subject, 'We have sent your request for stop smoking support');
    assert.deepEqual(log.lines, [
      {
        level: 'info',
        obj: {
          notification: {
            template: 'self_referral_confirmation',
            channels: ['email', 'sms'],
            transport: 'log',
          },
        },
        msg: 'notification sent',
      },
    ]);
    await n.send(message);
    await n.send(message);
    assert.equal(n.outbox.length, 2, 'the outbox is bounded');
  });
});

describe('the GOV.UK Notify transport', () => {
  test('sends the email and the text message with the template ids, placeholders and our reference', async () => {
    const calls: unknown[][] = [];
    const client = {
      sendEmail: async (...args: unknown[]) => (calls.push(['email', ...args]), {}) as never,
      sendSms: async (...args: unknown[]) => (calls.push(['sms', ...args]), {}) as never,
      getNotifications: async () => ({}) as never,
    };
    const n = new GovUkNotifyNotifier(
      {
        transport: 'notify',
        apiKey: API_KEY,
        templates: NOTIFY_TEMPLATES,
      },
      { client },
    );
    assert.deepEqual(await n.send(message), { channels: ['email', 'sms'] });
    const options = { personalisation: message.personalisation, reference: 'MOR-000042' };
    assert.deepEqual(calls, [
      ['email', EMAIL_TEMPLATE, 'sam.person@example.com', options],
      ['sms', SMS_TEMPLATE, '07700 900123', options],
    ]);
  });

  test('talks to the Notify API with a signed token (the fake Notify, test/helpers/fake-notify.ts)', async () => {
    // The fake holds Mortar's own template words, so a placeholder we forget to send is refused as
    // Notify would refuse it.
    const t = TEMPLATES.self_referral_confirmation;
    const fake = await FakeNotify.start({
      apiKeys: [API_KEY],
      templates: [
        { id: EMAIL_TEMPLATE, type: 'email', subject: t.subject, body: t.email },
        { id: SMS_TEMPLATE, type: 'sms', body: t.sms ?? '' },
      ],
    });
    try {
      const n = new GovUkNotifyNotifier(
        {
          transport: 'notify',
          apiKey: API_KEY,
          templates: NOTIFY_TEMPLATES,
        },
        { baseUrl: fake.baseUrl },
      );
      await n.send({ ...message, to: { phone: '07700 900123' } });
      assert.equal(fake.notifications.length, 1);
      const call = fake.lastRequest!;
      assert.equal(call.path, '/v2/notifications/sms');
      assert.match(call.authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = JSON.parse(
        Buffer.from((call.authorization ?? '').split('.')[1]!, 'base64url').toString(),
      ) as { iss: string };
      assert.equal(claims.iss, SERVICE_ID);
      assert.ok(!(call.authorization ?? '').includes(SECRET), 'the secret signs the token and is never sent');
      assert.deepEqual(JSON.parse(call.body), {
        template_id: SMS_TEMPLATE,
        phone_number: '07700 900123',
        personalisation: message.personalisation,
        reference: 'MOR-000042',
      });
      const [sent] = fake.byReference('MOR-000042');
      assert.equal(sent!.type, 'sms');
      assert.equal(sent!.body, fillTemplate(t.sms ?? '', message.personalisation));

      // Both channels at once; then a Notify outage becomes a NotifyError with its status.
      await n.send(message);
      // The two sends go at once, so they may arrive in either order.
      assert.deepEqual(
        fake
          .byReference('MOR-000042')
          .map((m) => m.type)
          .sort(),
        ['email', 'sms', 'sms'],
      );
      assert.deepEqual(
        fake.byRecipient('sam.person@example.com').map((m) => m.subject),
        ['We have sent your request for stop smoking support'],
      );
      fake.failNext(1, 503);
      await assert.rejects(n.send({ ...message, to: { phone: '07700 900123' } }), (err: unknown) => {
        assert.ok(err instanceof NotifyError);
        assert.equal(err.status, 503);
        return true;
      });
    } finally {
      await fake.close();
    }
  });

  test('a failed send becomes a NotifyError with the status only, never the API words', async () => {
    const apiError = Object.assign(new Error('Request failed'), {
      response: {
        status: 400,
        data: { errors: [{ message: 'phone_number 07700 900123 is not a UK mobile number' }] },
      },
      message: 'send to 07700 900123 failed',
    });
    const client = {
      sendEmail: async () => ({}) as never,
      sendSms: async () => Promise.reject(apiError),
      getNotifications: async () => ({}) as never,
    };
    const n = new GovUkNotifyNotifier(
      {
        transport: 'notify',
        apiKey: API_KEY,
        templates: NOTIFY_TEMPLATES,
      },
      { client },
    );
    await assert.rejects(n.send(message), (err: unknown) => {
      assert.ok(err instanceof NotifyError);
      assert.equal(err.status, 400);
      assert.equal(err.message, 'notify send failed (400)');
      assertNothingPersonal({
        message: err.message,
        stack: err.stack,
        cause: (err as { cause?: unknown }).cause,
      });
      return true;
    });
  });
});

describe('the SMTP transport', () => {
  test('delivers the email to an SMTP server (a local stand-in), and cannot send a text message', async () => {
    const mails: string[] = [];
    const server = createTcpServer((socket) => {
      let inData = false;
      let buffer = '';
      let mail = '';
      socket.write('220 localhost ESMTP stand-in\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        let i: number;
        while ((i = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (inData) {
            if (line === '.') {
              inData = false;
              mails.push(mail);
              socket.write('250 OK queued\r\n');
            } else mail += `${line}\n`;
            continue;
          }
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') socket.write('250-localhost\r\n250 8BITMIME\r\n');
          else if (verb === 'MAIL' || verb === 'RCPT')
            socket.write(`250 OK ${line.includes('sam.person@example.com') ? 'rcpt' : ''}\r\n`);
          else if (verb === 'DATA') {
            inData = true;
            mail = '';
            socket.write('354 go ahead\r\n');
          } else if (verb === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const n = new SmtpNotifier({
        transport: 'smtp',
        url: `smtp://127.0.0.1:${port}`,
        from: 'Mortar <no-reply@mortar.test>',
      });
      assert.deepEqual(await n.send(message), { channels: ['email'] });
      assert.equal(mails.length, 1);
      assert.match(mails[0]!, /^From: Mortar <no-reply@mortar\.test>$/m);
      assert.match(mails[0]!, /^To: sam\.person@example\.com$/m);
      assert.match(mails[0]!, /^Subject: We have sent your request for stop smoking support$/m);
      assert.match(mails[0]!, /Your reference number is MOR-000042\./);
      assert.deepEqual(
        await n.send({ ...message, to: { phone: '07700 900123' } }),
        { channels: [] },
        'no email address: nothing to send',
      );
      assert.equal(mails.length, 1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('a refused email becomes a NotifyError with the SMTP code only', async () => {
    const mailer = {
      sendMail: async () =>
        Promise.reject(
          Object.assign(new Error('550 <sam.person@example.com>: unknown user'), {
            responseCode: 550,
            code: 'EENVELOPE',
          }),
        ),
    };
    const n = new SmtpNotifier(
      { transport: 'smtp', url: 'smtp://127.0.0.1:1', from: 'a@mortar.test' },
      { mailer: mailer as never },
    );
    await assert.rejects(n.send(message), (err: unknown) => {
      assert.ok(err instanceof NotifyError);
      assert.deepEqual([err.status, err.code], [550, 'EENVELOPE']);
      assertNothingPersonal(err.message);
      return true;
    });
  });
});

describe('sendSafely', () => {
  const failing = (error: unknown): Notifier => ({
    transport: 'notify',
    send: async () => Promise.reject(error),
    sendOne: async () => Promise.reject(error),
    findSent: async () => null,
  });

  test('never throws, and logs a failure with no recipient, name or error words', async () => {
    const log = captureLog();
    const result = await sendSafely(
      failing(new NotifyError('notify', { response: { status: 503 } })),
      message,
      log,
    );
    assert.deepEqual(result, { ok: false });
    assert.equal(log.lines.length, 1);
    assert.deepEqual(log.lines[0], {
      level: 'warn',
      obj: {
        notification: {
          template: 'self_referral_confirmation',
          transport: 'notify',
          reference: 'MOR-000042',
          channels: ['email', 'sms'],
        },
        err: { type: 'NotifyError', status: 503, code: undefined },
      },
      msg: 'notification not sent',
    });
    const other = captureLog();
    await sendSafely(
      failing(new Error('could not reach sam.person@example.com on 07700 900123')),
      message,
      other,
    );
    assertNothingPersonal(other.lines);
  });

  test('gives up waiting after the timeout', async () => {
    const log = captureLog();
    const hung: Notifier = {
      transport: 'smtp',
      send: () => new Promise(() => undefined),
      sendOne: () => new Promise(() => undefined),
      findSent: async () => undefined,
    };
    const started = Date.now();
    assert.deepEqual(await sendSafely(hung, message, log, 50), { ok: false });
    assert.ok(Date.now() - started < 2000);
    assert.equal(log.lines[0]!.msg, 'notification not sent');
  });

  test('reports the channels a message went on', async () => {
    assert.deepEqual(await sendSafely(new LogNotifier(captureLog()), message, captureLog()), {
      ok: true,
      channels: ['email', 'sms'],
    });
  });
});
