// A real SMTP server on the loopback address, for the letters' tests (smtp-server, the library Nodemailer's
// authors test against): it speaks SMTP with AUTH, refuses the recipients a test names with 550, and
// keeps every message that arrives, parsed by mailparser as a mail client would read it.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpTestServer = {
  port: number;
  user: string;
  password: string;
  /** Messages accepted, in order, with the envelope's recipients. */
  received: { to: string[]; mail: ParsedMail }[];
  /** Recipients refused with "550 No such user". */
  refuse: Set<string>;
  close: () => Promise<void>;
};

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const user = 'stopsmoking.leeds@nhs.net';
  const password = 'smtp-test-password';
  const received: SmtpTestServer['received'] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    // Tests speak plain SMTP on the loopback address; production requires TLS (src/config.ts).
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase()))
        return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    user,
    password,
    received,
    refuse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
