/**
 * CSV for spreadsheets, shared by the extension's export and the Desk's: UTF-8 with a byte-order
 * mark (so spreadsheet programs read Chinese correctly), CRLF, Papa Parse's quoting, and every
 * cell a spreadsheet would run as a formula neutralised with a leading `'`. No browser imports.
 */
import Papa from 'papaparse';

/**
 * A cell a spreadsheet would run as a formula: its first non-space character is `=`, `+`, `-`, `@`,
 * a tab, a CR or the full-width `＝`, whatever follows. Papa Parse's own pattern (`escapeFormulae:
 * true`) ends in `.*$` without the `s` flag, so a cell with a line break after the formula passed
 * through unescaped.
 */
const FORMULA_START = /^\s*[=+\-@\t\r\uFF1D]/;

export function toCsv(fields: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return `\uFEFF${Papa.unparse({ fields: [...fields], data: rows.map((row) => [...row]) }, { newline: '\r\n', escapeFormulae: FORMULA_START, quotes: false })}\r\n`;
}
