// Forms that send a file (multipart/form-data). The body is read in preValidation, before the CSRF check
// (a preHandler, csrf.ts), into the same shape a urlencoded form has: text fields as strings, and the one
// file under its field name. So the form's `_csrf` field is checked exactly as any form's is, and a form
// without it is refused before the handler runs. Multipart parsing is registered only in the scope of the
// routes that take files: everywhere else a multipart body is still refused (415), as before.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { HttpError } from './errors.ts';

export type UploadedFile = {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** More than the limit was sent: `bytes` holds only the first part, and must not be read. */
  tooLarge: boolean;
};

/** The body of a file form: its text fields, and the file when one was chosen. */
export type FileFormBody = { fields: Record<string, string>; file: UploadedFile | null };

/** Kept beside the request, not in its body, so that no urlencoded field can pose as a file. */
const fileForms = new WeakMap<FastifyRequest, FileFormBody>();

/** The limits of a form with one file and a few text fields (the CSRF token among them). */
const limitsFor = (maxBytes: number) => ({
  fileSize: maxBytes,
  files: 1,
  fields: 8,
  fieldSize: 64 * 1024,
  parts: 9,
  headerPairs: 100,
});

/**
 * Lets the routes registered in `scope` (an encapsulated plugin: `app.register(async (scope) => …)`) take
 * one file of up to `maxBytes` in a multipart form. Call before adding the routes.
 */
export async function acceptFileForms(scope: FastifyInstance, maxBytes: number): Promise<void> {
  await scope.register(multipart, { limits: limitsFor(maxBytes), throwFileSizeLimit: false });
  scope.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    const form = await readFileForm(request, maxBytes);
    fileForms.set(request, form);
    request.body = form.fields;
  });
}

/** The multipart body's fields and first file; a body that is not a readable form is a 400. */
async function readFileForm(request: FastifyRequest, maxBytes: number): Promise<FileFormBody> {
  const fields = new Map<string, string>();
  let file: UploadedFile | null = null;
  try {
    for await (const part of request.parts({ limits: limitsFor(maxBytes) })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A file input left empty is sent as a part with no name and no bytes.
        if (file || part.filename === '' || (bytes.length === 0 && !part.file.truncated)) continue;
        file = {
          filename: part.filename,
          contentType: part.mimetype,
          bytes,
          tooLarge: part.file.truncated,
        };
      } else if (typeof part.value === 'string' && !fields.has(part.fieldname)) {
        fields.set(part.fieldname, part.value);
      }
    }
  } catch (err) {
    // The plugin's own limits carry their 4xx status; busboy's complaints about a malformed body do not.
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) throw err;
    throw new HttpError(400, 'The form could not be read', 'Choose the file again and send the form again.');
  }
  return { fields: Object.fromEntries(fields), file };
}

/** The file form's body as read above, or null when the request was not a file form. */
export function fileFormOf(request: FastifyRequest): FileFormBody | null {
  return fileForms.get(request) ?? null;
}
