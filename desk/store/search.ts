/**
 * Full-text search that works the same on SQLite and PostgreSQL, without either engine's own
 * text search (neither splits Chinese into words out of the box). A report's URL, title,
 * captured text and explanation become terms:
 *
 * - Chinese, Japanese and Korean runs: every pair of neighbouring characters (overlapping
 *   bigrams: 明天全市停水 → 明天 天全 全市 市停 停水), plus the run's last character alone, so
 *   every character of the text starts at least one term.
 * - Everything else: lower-case words of letters and digits.
 *
 * A query is tokenised the same way and matches the reports holding all of its terms. A
 * one-character CJK query matches every term that starts with that character (a range on the
 * byte-ordered term column); every longer query is a set of exact terms, each an index walk
 * over (term, received_at desc, report_id) — newest first, no sort.
 */
import type { Report } from '../../utils/schema/report';
import type { DeskDb } from './engine';

/** Han, Hiragana, Katakana, Hangul and the CJK compatibility and extension blocks. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

/** Longest term kept; longer words are cut (a URL's random ids do not need to match whole). */
const TERM_MAX = 64;
/** Terms indexed per report at most (the captured text may be long). */
export const TERMS_PER_REPORT_MAX = 4000;

interface Pieces {
  /** CJK runs, in order. */
  runs: string[];
  words: string[];
}

function split(text: string): Pieces {
  const runs: string[] = [];
  const words: string[] = [];
  let run = '';
  let word = '';
  const flush = () => {
    if (run) runs.push(run);
    if (word) words.push(word.slice(0, TERM_MAX));
    run = '';
    word = '';
  };
  for (const char of text.normalize('NFKC').toLowerCase()) {
    if (CJK.test(char)) {
      if (word) {
        words.push(word.slice(0, TERM_MAX));
        word = '';
      }
      run += char;
    } else if (WORD.test(char)) {
      if (run) {
        runs.push(run);
        run = '';
      }
      word += char;
    } else flush();
  }
  flush();
  return { runs, words };
}

function bigrams(run: string): string[] {
  const chars = [...run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** The distinct terms a report's text is indexed under. */
export function indexTerms(...texts: ReadonlyArray<string | undefined>): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    const { runs, words } = split(text);
    for (const run of runs) {
      for (const gram of bigrams(run)) terms.add(gram);
      terms.add([...run].at(-1) ?? '');
    }
    for (const word of words) terms.add(word);
    if (terms.size >= TERMS_PER_REPORT_MAX) break;
  }
  terms.delete('');
  return [...terms].slice(0, TERMS_PER_REPORT_MAX);
}

/** A search: exact terms that must all be present, and lone CJK characters each matched as a prefix. */
export interface SearchTerms {
  exact: string[];
  /** Lone CJK characters: each matches every term that starts with it. */
  prefixes: string[];
}

export function queryTerms(query: string): SearchTerms | undefined {
  const { runs, words } = split(query);
  const exact = new Set<string>(words);
  const prefixes = new Set<string>();
  for (const run of runs) {
    if ([...run].length === 1) prefixes.add(run);
    else for (const gram of bigrams(run)) exact.add(gram);
  }
  if (exact.size === 0 && prefixes.size === 0) return undefined;
  return { exact: [...exact].slice(0, 32), prefixes: [...prefixes].slice(0, 8) };
}

/** The exclusive upper bound of every string that starts with `char` (byte order = code point order). */
export function prefixEnd(char: string): string {
  return String.fromCodePoint((char.codePointAt(0) ?? 0) + 1);
}

/** The report's searchable text: URL, title, captured text, explanation. */
export function reportTerms(report: Report): string[] {
  return indexTerms(report.target.url, report.target.title, report.target.text, report.explanation);
}

/** Replaces the postings of the given reports (new ones, or a new current revision), inside the caller's transaction. */
export async function indexReports(trx: DeskDb, entries: ReadonlyArray<{ id: string; receivedAt: string; report: Report; replace: boolean }>): Promise<void> {
  const replaced = entries.filter((entry) => entry.replace).map((entry) => entry.id);
  for (let i = 0; i < replaced.length; i += 200)
    await trx
      .deleteFrom('search_postings')
      .where('report_id', 'in', replaced.slice(i, i + 200))
      .execute();
  const rows = entries.flatMap((entry) => reportTerms(entry.report).map((term) => ({ term, report_id: entry.id, received_at: entry.receivedAt })));
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('search_postings')
      .values(rows.slice(i, i + 500))
      .execute();
}
