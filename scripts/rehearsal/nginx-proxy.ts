// The production rehearsal's reverse proxy: Debian's nginx in the foreground with a prefix of its own
// (never the system service), on deploy/nginx.conf.template filled in, with a self-signed certificate
// made by openssl at run time.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanups, FatalError, recordChild, run, runDir, sleep } from '../../bench/pg-cluster.ts';
import { fillTemplate } from './nginx-template.ts';

const TEMPLATE = fileURLToPath(new URL('../../deploy/nginx.conf.template', import.meta.url));
const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** A certificate for localhost and 127.0.0.1, valid for a day, and its key; the PEM to trust it by. */
export function selfSignedCertificate(dir: string): { cert: string; key: string; pem: string } {
  const cert = join(dir, 'certificate.pem');
  const key = join(dir, 'certificate-key.pem');
  const r = run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (!r.ok) throw new FatalError(`openssl could not make a certificate:\n${r.out}`);
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}

export type Upstream = { port: number; down?: boolean };

export type Proxy = {
  httpsOrigin: string;
  httpOrigin: string;
  pem: string;
  /** Writes the upstream list and reloads nginx gracefully (nginx -s reload): how an instance is drained. */
  setUpstreams: (upstreams: Upstream[]) => Promise<void>;
  accessLog: string;
  output: () => string;
};

const upstreamLines = (upstreams: Upstream[]) =>
  upstreams
    .map((u) => `    server 127.0.0.1:${u.port} max_fails=1 fail_timeout=5s${u.down ? ' down' : ''};`)
    .join('\n');

export async function startProxy(ports: { http: number; https: number }, upstreams: Upstream[]) {
  const prefix = join(runDir, 'nginx');
  mkdirSync(prefix, { mode: 0o755 });
  const { cert, key, pem } = selfSignedCertificate(prefix);
  const conf = join(prefix, 'nginx.conf');
  const accessLog = join(prefix, 'access.log');
  const httpsOrigin = `https://localhost:${ports.https}`;
  const write = (list: Upstream[]) =>
    writeFileSync(
      conf,
      fillTemplate(readFileSync(TEMPLATE, 'utf8'), {
        PREFIX: prefix,
        WORKER_PROCESSES: '1',
        ACCESS_LOG: accessLog,
        LISTEN_HTTP: `127.0.0.1:${ports.http}`,
        LISTEN_HTTPS: `127.0.0.1:${ports.https}`,
        SERVER_NAME: 'localhost',
        PUBLIC_ORIGIN: httpsOrigin,
        CERTIFICATE: cert,
        CERTIFICATE_KEY: key,
        UPSTREAM_SERVERS: upstreamLines(list),
      }),
    );
  write(upstreams);
  const args = ['-p', prefix, '-c', conf];
  const test = run(NGINX, [...args, '-t']);
  if (!test.ok) throw new FatalError(`nginx refused the configuration:\n${test.out}`);

  const child = spawn(NGINX, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  recordChild(child.pid);
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  cleanups.push({
    name: `stop nginx (pid ${child.pid})`,
    run: async () => {
      if (!alive()) return;
      child.kill('SIGQUIT'); // graceful
      await Promise.race([exited, sleep(5000)]);
      if (alive()) child.kill('SIGKILL');
    },
  });
  await waitForListening(`http://127.0.0.1:${ports.http}/`, alive, () => out);

  const proxy: Proxy = {
    httpsOrigin,
    httpOrigin: `http://127.0.0.1:${ports.http}`,
    pem,
    accessLog,
    output: () => out,
    setUpstreams: async (list) => {
      write(list);
      const reload = run(NGINX, [...args, '-s', 'reload']);
      if (!reload.ok) throw new FatalError(`nginx -s reload failed:\n${reload.out}`);
      // New workers take the new list; the old ones finish what they hold, then exit.
      await sleep(1000);
    },
  };
  return proxy;
}

async function waitForListening(address: string, alive: () => boolean, output: () => string) {
  const deadline = performance.now() + 15_000;
  for (;;) {
    if (!alive()) throw new FatalError(`nginx exited at start:\n${output()}`);
    try {
      const res = await fetch(address, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      if (performance.now() > deadline)
        throw new FatalError(`nginx did not listen within 15 s:\n${output()}`);
      await sleep(100);
    }
  }
}
