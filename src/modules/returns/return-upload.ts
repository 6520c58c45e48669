// An uploaded return file: whether it is CSV or JSON (by its name, its declared type and its content, which
// must agree), whether it is text at all, and then the layout's own reader (csv-layout-reader.ts), which
// names each bad row and column. A file that is not what it says is refused before any row is read. Pure.
import { fromCsv, fromJson, type ReadOptions, type ReadResult, type RowError } from './csv-layout-reader.ts';

export type UploadFormat = 'csv' | 'json';
export type UploadedReturn = { filename: string; contentType: string; bytes: Uint8Array };

/** Files people save by mistake, each with what to do instead. */
const NOT_TEXT: Readonly<Record<string, string>> = {
  xlsx: 'an Excel workbook: save it as "CSV UTF-8 (comma delimited)" and upload that',
  xls: 'an Excel workbook: save it as "CSV UTF-8 (comma delimited)" and upload that',
  ods: 'a spreadsheet: save it as CSV (UTF-8, comma-separated) and upload that',
  numbers: 'a Numbers spreadsheet: export it as CSV and upload that',
  pdf: 'a PDF: upload the CSV or JSON file the return was made from',
  doc: 'a Word document: upload the CSV or JSON file the return was made from',
  docx: 'a Word document: upload the CSV or JSON file the return was made from',
  zip: 'a zip archive: upload the CSV or JSON file inside it',
};

const extensionOf = (filename: string) => /\.([A-Za-z0-9]+)$/.exec(filename.trim())?.[1]?.toLowerCase() ?? '';

/** The format the file's name or declared type says, or null when neither says (a .txt, say). */
export function declaredFormat(filename: string, contentType: string): UploadFormat | null {
  const ext = extensionOf(filename);
  if (ext === 'csv' || ext === 'json') return ext;
  if (ext !== '' && ext !== 'txt') return null;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  // Browsers on Windows send a .csv as application/vnd.ms-excel: only the types below say anything.
  if (type === 'application/json' || type === 'text/json') return 'json';
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  return null;
}

/** The format the text itself has: JSON starts with [ or {, and a CSV in the layout never does. */
export function sniffFormat(text: string): UploadFormat {
  return /^[\s\uFEFF]*[[{]/.test(text) ? 'json' : 'csv';
}

const fail = (message: string, row: number | null = null): ReadResult => ({
  ok: false,
  errors: [{ row, column: null, message }],
});

/** The file's bytes as text, or why they are not UTF-8 text (with the row of the first bad character). */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: RowError } {
  const error = (message: string, row: number | null = null) => ({
    ok: false as const,
    error: { row, column: null, message },
  });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return error('The file is saved as UTF-16 ("Unicode text"): save it as CSV UTF-8 and upload it again');
  if (bytes.includes(0)) return error('The file is not a text file: upload the CSV or JSON file');
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const loose = new TextDecoder('utf-8').decode(bytes);
    const at = loose.indexOf('\uFFFD');
    const row = loose.slice(0, at).split('\n').length;
    return error(
      'This row has a character that is not UTF-8 text (the file may be saved as ANSI or Windows-1252): save it as CSV UTF-8 and upload it again',
      row,
    );
  }
}

/** A JSON syntax error as words with the line and column of the file where it is. */
function jsonSyntaxError(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  const position = /position (\d+)/.exec(message);
  let where = '';
  if (lineCol) where = ` at line ${lineCol[1]}, column ${lineCol[2]}`;
  else if (position) {
    const before = text.slice(0, Number(position[1])).split('\n');
    where = ` at line ${before.length}, column ${before.at(-1)!.length + 1}`;
  }
  return `The file is not valid JSON${where}: check for a missing comma, bracket or quotation mark`;
}

function readJson(text: string, options: ReadOptions): ReadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(jsonSyntaxError(text, e));
  }
  if (Array.isArray(data)) return fromJson(data, options);
  // Mortar's own JSON export wraps the rows with what they are (return-export.routes.ts).
  if (typeof data === 'object' && data !== null && Array.isArray((data as { rows?: unknown }).rows)) {
    if ((data as { published?: unknown }).published === true)
      return fail(
        'This is a published file (counts from 1 to 7 hidden, others rounded): load the exact return instead',
      );
    return fromJson((data as { rows: unknown[] }).rows, options);
  }
  return fail('The JSON must be an array of rows, or an object with a "rows" array as Mortar exports it');
}

/**
 * Reads an uploaded return. The name, the declared type and the content must agree on CSV or JSON; the
 * text must be UTF-8; then every row is read as the layout says, each problem with its row and column.
 */
export function readUploadedReturn(file: UploadedReturn, options: ReadOptions = {}): ReadResult {
  const ext = extensionOf(file.filename);
  const wrongKind = NOT_TEXT[ext];
  if (wrongKind) return fail(`The selected file is ${wrongKind}`);
  if (ext !== '' && !['csv', 'json', 'txt'].includes(ext))
    return fail(`The selected file must be a CSV or JSON file, not .${ext}`);
  if (file.bytes.length === 0) return fail('The selected file is empty');
  const decoded = decodeText(file.bytes);
  if (!decoded.ok) return { ok: false, errors: [decoded.error] };
  if (decoded.text.trim().replace(/^\uFEFF/, '') === '') return fail('The selected file is empty');
  const declared = declaredFormat(file.filename, file.contentType);
  const content = sniffFormat(decoded.text);
  if (declared && declared !== content)
    return fail(
      `The file is called ${file.filename.slice(0, 100)} but holds ${content === 'json' ? 'JSON' : 'something other than JSON'}: upload the return as a .csv or .json file that matches what is in it`,
    );
  return content === 'json' ? readJson(decoded.text, options) : fromCsv(decoded.text, options);
}
