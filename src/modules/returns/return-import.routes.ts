// Loading a return from a file in the documented layout (csv-layout.ts), for an authority whose services
// do not use Mortar, so the national collection is complete. Its commissioner, or a national analyst,
// uploads the CSV or JSON file (a multipart form, read by platform/file-upload.ts before the CSRF check),
// or pastes the CSV's text into the other form on the page. The file is read with the layout's reader,
// which names each bad row and column; a file with any such error is not stored, and every error is
// listed in the NHS error summary. A well-formed file becomes a new version, source 'import', validated as
// a generated one is (less the missing-data checks: there are no episodes behind it), and goes through the
// same sign-off.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden, HttpError } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { acceptFileForms, fileFormOf, type FileFormBody } from '../../platform/file-upload.ts';
import { CSV_COLUMNS } from './csv-layout.ts';
import {
  fromCsv,
  MAX_ERRORS,
  type ReadOptions,
  type ReadResult,
  type RowError,
} from './csv-layout-reader.ts';
import { readUploadedReturn } from './return-upload.ts';
import { contextOf } from './return.routes.ts';
import { LOCKED, returnPath, STATUS_LABELS, type ReturnContext } from './return.service.ts';
import { storeImported } from './return-versions.service.ts';

type Deps = { db: Database };

/** The largest file the forms take, uploaded or pasted. A full return is about 60 KB as CSV. */
export const IMPORT_MAX_BYTES = 1024 * 1024;
/** The form's body may be a little larger than the file: it is URL-encoded and carries the CSRF token. */
const BODY_LIMIT = 3 * IMPORT_MAX_BYTES;

/** The errors shown at most in the summary (the file's reader stops at MAX_ERRORS). */
export const ERRORS_SHOWN = 50;

/** A row error in words: where (row and column, as a spreadsheet shows them) and what to do. */
export function describeRowError(e: RowError): string {
  const where = [e.row !== null ? `Row ${e.row}` : null, e.column ? `column ${e.column}` : null]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${e.message}` : e.message;
}

/** The form field a problem belongs to: the file input, or the box the text was pasted into. */
type Field = 'file' | 'csv';

/** The file's errors as the NHS error summary, each linking to the field the file came in. */
export function importErrors(errors: readonly RowError[], field: Field = 'csv'): FormErrors {
  const href = `#${field}`;
  const list = errors.slice(0, ERRORS_SHOWN).map((e) => ({ text: describeRowError(e), href }));
  if (errors.length > ERRORS_SHOWN) {
    list.push({
      text: `and ${errors.length - ERRORS_SHOWN}${errors.length >= MAX_ERRORS ? ' or more' : ''} more problems: put these right and load the file again to see them`,
      href,
    });
  }
  return {
    list,
    fields: {
      [field]: {
        text: `The file has ${errors.length >= MAX_ERRORS ? `${MAX_ERRORS} or more problems` : errors.length === 1 ? '1 problem' : `${errors.length} problems`}: see the list at the top of the page`,
      },
    },
  };
}

/** The import form, with the file's problems and what was pasted when it comes back. */
function showForm(
  reply: FastifyReply,
  ctx: ReturnContext,
  extra: { errors?: FormErrors; csv?: string } = {},
) {
  const locked = ctx.row !== undefined && LOCKED.includes(ctx.row.status);
  return reply.page('returns/views/import.njk', {
    title: `${ctx.authority.name}: load the ${ctx.period.label} return from a file`,
    backHref: returnPath(ctx.authority.code, ctx.period),
    ctx,
    path: returnPath(ctx.authority.code, ctx.period),
    locked,
    statusLabel: STATUS_LABELS[ctx.row?.status ?? 'not_started'],
    columns: CSV_COLUMNS,
    maxKb: Math.round(IMPORT_MAX_BYTES / 1024),
    errors: extra.errors,
    csv: extra.csv ?? '',
  });
}

/** The return in the URL, for a user who may load it from a file: 403 for anyone else. */
async function importContext(db: Database, request: FastifyRequest) {
  const ctx = await contextOf(db, request);
  if (!ctx.access.import) throw forbidden();
  return ctx;
}

/** A field's one problem: the message in the summary and beside the field. */
const problem = (text: string, field: Field = 'csv'): FormErrors => ({
  list: [{ text, href: `#${field}` }],
  fields: { [field]: { text } },
});

const TOO_LARGE = `The file must be ${Math.round(IMPORT_MAX_BYTES / 1024)} KB or smaller`;

/** What was sent, read: the uploaded file, or the pasted text; a problem before any row is read. */
type Sent = { field: Field; csv: string } & (
  { read: (options: ReadOptions) => ReadResult } | { problem: string; status: number }
);

function sentFile(upload: FileFormBody): Sent {
  const { file } = upload;
  if (!file) return { field: 'file', csv: '', problem: 'Select the return’s CSV or JSON file', status: 400 };
  if (file.tooLarge) return { field: 'file', csv: '', problem: TOO_LARGE, status: 413 };
  return { field: 'file', csv: '', read: (options) => readUploadedReturn(file, options) };
}

function sentText(body: Record<string, unknown>): Sent {
  const csv = typeof body.csv === 'string' ? body.csv : '';
  if (csv.trim() === '')
    return { field: 'csv', csv, problem: 'Paste the return’s CSV file into the box', status: 400 };
  if (Buffer.byteLength(csv, 'utf8') > IMPORT_MAX_BYTES)
    return { field: 'csv', csv: '', problem: TOO_LARGE, status: 413 };
  return { field: 'csv', csv, read: (options) => fromCsv(csv, options) };
}

async function importFile(db: Database, request: FastifyRequest, reply: FastifyReply) {
  const ctx = await importContext(db, request);
  const upload = fileFormOf(request);
  const sent = upload ? sentFile(upload) : sentText((request.body ?? {}) as Record<string, unknown>);
  const { field, csv } = sent;
  const user = staffOf(request);
  const fail = async (errors: FormErrors, status = 400) => {
    await audit(
      db,
      user,
      {
        action: 'view',
        entityType: 'return',
        entityId: ctx.row?.id ?? null,
        detail: `${ctx.authority.code} ${ctx.period.label}: file refused (${errors.list.length} problems shown)`,
      },
      request.id,
    );
    return showForm(reply.code(status), ctx, { errors, csv });
  };
  if ('problem' in sent) return fail(problem(sent.problem, field), sent.status);
  const read = sent.read({
    expect: {
      localAuthorityCode: ctx.authority.code,
      financialYear: ctx.period.financialYear,
      quarter: ctx.period.quarter,
    },
  });
  if (!read.ok) return fail(importErrors(read.errors, field));
  try {
    await storeImported(db, user, ctx, read.return, request.id);
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409) throw err;
    return fail(problem(err.message, field), 409);
  }
  return reply.redirect(`${returnPath(ctx.authority.code, ctx.period)}?done=imported`, 303);
}

export function registerReturnImportRoutes(app: FastifyInstance, { db }: Deps) {
  const config = { access: ['commissioner', 'national_analyst'] as const };

  app.get(
    '/returns/:code/:year/:quarter/import',
    { config: { access: [...config.access] } },
    async (request, reply) => {
      const ctx = await importContext(db, request);
      await audit(
        db,
        staffOf(request),
        {
          action: 'view',
          entityType: 'return',
          entityId: ctx.row?.id ?? null,
          detail: `${ctx.authority.code} ${ctx.period.label}: import form`,
        },
        request.id,
      );
      return showForm(reply, ctx);
    },
  );

  // The upload and the pasted text go to the same address; only this scope reads multipart bodies.
  app.register(async (scope) => {
    await acceptFileForms(scope, IMPORT_MAX_BYTES);
    scope.post(
      '/returns/:code/:year/:quarter/import',
      { config: { access: [...config.access] }, bodyLimit: BODY_LIMIT },
      async (request, reply) => importFile(db, request, reply),
    );
  });
}
