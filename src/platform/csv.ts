// The one CSV writer: RFC 4180 quoting, CRLF line ends, UTF-8 with no BOM, a header row. Text a spreadsheet
// would run as a formula (starting =, +, -, @, tab or carriage return, as OWASP's CSV injection guidance
// lists) gets a leading apostrophe, so a name typed into Mortar is only ever shown when the file is opened.
// Numbers are figures, never formulas: -3 stays -3. Pure.
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header, ...rows], {
    record_delimiter: '\r\n',
    // A field holding a lone \n or \r is quoted too; with a record_delimiter set, the library would not.
    quote_record_delimiter: true,
    escape_formulas: true,
    cast: { number: (v) => (Number.isFinite(v) ? String(v) : '') },
  });
}
