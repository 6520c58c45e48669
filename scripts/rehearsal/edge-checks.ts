// The production rehearsal's checks of what a person's browser meets at the proxy: HTTPS and nothing
// else, HSTS, cookies marked Secure (which needs Mortar to believe the proxy's X-Forwarded-Proto), a
// real sign-in through the proxy, the request id the proxy gives each request, /metrics kept private,
// a page read from the replica, and what each instance's /metrics says of the replica.

export type Check = (ok: boolean, what: string) => void;
export type Note = (msg: string) => void;

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });

/** Set-Cookie lines by cookie name. */
const cookiesOf = (res: Response) =>
  new Map(res.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf('=')), line]));
const pair = (line: string) => line.split(';')[0]!;
const secureAndHttpOnly = (line: string | undefined) =>
  !!line && /;\s*Secure/i.test(line) && /;\s*HttpOnly/i.test(line);

export async function transportChecks(origins: { https: string; http: string }, check: Check, note: Note) {
  const home = await get(`${origins.https}/`, { accept: 'text/html' });
  await home.arrayBuffer();
  check(home.status === 200, `HTTPS: GET / answers 200 through nginx (got ${home.status})`);
  const hsts = home.headers.get('strict-transport-security') ?? '';
  check(/max-age=\d{7,}/.test(hsts), `HTTPS: Strict-Transport-Security is set (got "${hsts}")`);

  const plain = await get(`${origins.http}/find-support?x=1`);
  await plain.arrayBuffer();
  const location = plain.headers.get('location') ?? '';
  check(
    plain.status === 301 && location === `${origins.https}/find-support?x=1`,
    `HTTP: sent to HTTPS with a 301 (got ${plain.status} to "${location}")`,
  );

  const id = home.headers.get('x-request-id');
  if (id === null)
    note(
      'NOTICE: Mortar does not echo X-Request-Id in this version (s24-lifecycle); the access log is checked.',
    );
  else check(/^[0-9a-f]{32}$/.test(id), `the request id is the proxy's $request_id (got "${id}")`);

  const metrics = await get(`${origins.https}/metrics`);
  await metrics.arrayBuffer();
  check(metrics.status === 404, `/metrics is not served at the public address (got ${metrics.status})`);

  // A cookie Mortar marks Secure only when the request came over HTTPS: proves X-Forwarded-Proto is
  // passed and trusted (TRUST_PROXY). Welsh is remembered by a cookie (docs/welsh.md).
  const welsh = await get(`${origins.https}/find-support?lang=cy`, { accept: 'text/html' });
  await welsh.arrayBuffer();
  const language = [...cookiesOf(welsh).values()][0];
  check(
    welsh.status === 200 && secureAndHttpOnly(language),
    `the language cookie is Secure behind the proxy (got ${welsh.status}, "${language ?? 'no cookie'}")`,
  );
}

/** Signs in through the proxy as a real browser does; the session cookie to send. */
export async function signIn(origin: string, email: string, password: string, check: Check) {
  const form = await get(`${origin}/sign-in`, { accept: 'text/html' });
  const html = await form.text();
  const csrf = cookiesOf(form).get('mortar_csrf');
  check(secureAndHttpOnly(csrf), `the CSRF cookie is Secure and HttpOnly (got "${csrf ?? 'none'}")`);
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const res = await fetch(`${origin}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: csrf ? pair(csrf) : '',
    },
    body: new URLSearchParams({ _csrf: token, email, password, returnTo: '/' }).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  const session = cookiesOf(res).get('mortar_session');
  check(res.status === 303 && !!session, `signing in through the proxy works (got ${res.status})`);
  check(secureAndHttpOnly(session), `the session cookie is Secure and HttpOnly (got "${session ?? 'none'}")`);
  return session ? pair(session) : '';
}

/** Pages that read from the replica once READ_DATABASE_URL is in (s24-replica): they answer 200. */
export async function replicaPages(origin: string, sessionCookie: string, check: Check, note: Note) {
  for (const path of ['/national/dashboard', '/statistics/quarterly-returns']) {
    const res = await get(`${origin}${path}`, { accept: 'text/html', cookie: sessionCookie });
    const html = await res.text();
    check(res.status === 200, `${path} answers 200 with a replica configured (got ${res.status})`);
    const age = /may be up to [^<.]+/.exec(html)?.[0];
    note(`${path}: ${age ? `says "${age}"` : 'no notice of old figures'}`);
  }
}

/** Every sample in Prometheus's text whose name starts with `prefix`, as "name{labels}" to value. */
function samples(text: string, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^(\w+(?:\{[^}]*\})?) (\S+)$/gm))
    if (m[1]!.startsWith(prefix)) out.set(m[1]!, Number(m[2]));
  return out;
}

/**
 * Scrapes each instance's /metrics directly (as Prometheus would, with its token) after the replica
 * pages were read: every instance reports the standby's lag, reads from it, no fallback, and the replica
 * pool beside the primary's; the reads the pages made were served by the standby.
 */
export async function replicaMetrics(
  instances: readonly { name: string; port: number }[],
  token: string,
  check: Check,
  note: Note,
) {
  let replicaReads = 0;
  for (const { name, port } of instances) {
    const res = await get(`http://127.0.0.1:${port}/metrics`, { authorization: `Bearer ${token}` });
    const text = await res.text();
    check(res.status === 200, `instance ${name}: /metrics answers its token directly (got ${res.status})`);
    const s = samples(text, 'mortar_');
    const lag = s.get('mortar_replica_lag_seconds');
    check(
      lag !== undefined && lag >= 0 && lag < 60,
      `instance ${name}: the standby's lag is reported (got ${lag ?? 'none'} s)`,
    );
    check(
      s.get('mortar_replica_fallback') === 0,
      `instance ${name}: reads are not falling back to the primary`,
    );
    check(
      ['total', 'idle', 'waiting'].every((state) =>
        s.has(`mortar_db_pool_connections{pool="replica",state="${state}"}`),
      ) && (s.get('mortar_db_pool_connections{pool="replica",state="total"}') ?? 0) >= 1,
      `instance ${name}: the replica's pool is reported beside the primary's, with a connection open`,
    );
    replicaReads += s.get('mortar_replica_reads_total{target="replica"}') ?? 0;
    note(
      `instance ${name} /metrics: lag ${lag} s, reads from the standby ${s.get('mortar_replica_reads_total{target="replica"}') ?? 0}, from the primary ${s.get('mortar_replica_reads_total{target="primary"}') ?? 0}`,
    );
  }
  check(
    replicaReads >= 2,
    `the replica pages were read from the standby (${replicaReads} reads over the instances)`,
  );
}
