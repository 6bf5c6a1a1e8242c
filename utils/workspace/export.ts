import { strToU8, zipSync, type Zippable } from 'fflate';
import type { FlaglineDB } from '../db';
import { toCsv } from '../csv';
import { categoryLabel, findCategory, findReason, type CategoryDef } from '../categories';
import type { Translate } from '../i18n';
import type { LedgerLine, ReportRecord } from '../schema/record';
import { ReportBatch } from '../schema/wire';
import { handoffsOf } from '../handoff/ledger';
import { isoWithOffset } from '../time';
import { readManyWithDeliveryState } from '../leases';
import { artifactPath, BUNDLE_FORMAT, BUNDLE_VERSION, BundleManifest, type BundleEntry } from './bundle';
import type { EvidenceArtifact, EvidenceSource } from './evidence';

/** One report with everything an export shows about it. */
export interface ExportItem {
  record: ReportRecord;
  ledger: LedgerLine[];
  artifacts: EvidenceArtifact[];
  capturedText?: string;
}

/** A report's ledger lines, oldest first. */
export const ledgerOf = (record: ReportRecord): LedgerLine[] => [...(record.ledger ?? [])].sort((a, b) => a.at - b.at);

/** Reads the chosen reports (in the given order) with their ledger and evidence. */
export async function loadExportItems(db: FlaglineDB, evidence: EvidenceSource, ids: readonly string[]): Promise<ExportItem[]> {
  // Acknowledged reports whose records are not yet updated are exported as sent (utils/leases.ts).
  const records = await readManyWithDeliveryState(db, ids);
  return Promise.all(
    records.map(async (record) => {
      const text = evidence.capturedText(record);
      return {
        record,
        ledger: ledgerOf(record),
        artifacts: await evidence.listArtifacts(record.id),
        ...(text === undefined ? {} : { capturedText: text }),
      };
    }),
  );
}

/**
 * JSON in the reporting protocol's wire format (`{ "reports": [...] }`), exactly the bodies an
 * endpoint receives — what an official portal or another receiver can take as is.
 */
export function exportJson(items: readonly ExportItem[]): string {
  const batch = ReportBatch.parse({ reports: items.map((item) => item.record.report) });
  // Where the user handed reports off themselves (issue 16): beside the wire bodies, never in them.
  const handoffs = items.flatMap(({ record }) =>
    handoffsOf(record).map((line) => ({
      reportId: record.id,
      channel: line.channel ?? line.endpoint,
      at: new Date(line.at).toISOString(),
      ...(line.receipt ? { caseNumber: line.receipt } : {}),
    })),
  );
  return `${JSON.stringify(handoffs.length ? { ...batch, handoffs } : batch, null, 2)}\n`;
}

export const CSV_COLUMNS = [
  'id',
  'status',
  'created',
  'category',
  'subReason',
  'site',
  'url',
  'canonicalUrl',
  'title',
  'explanation',
  'capturedText',
  'sentAt',
  'receipt',
  'reviewState',
  'reviewOutcome',
  'publicNote',
  'evidenceSha256',
  'handedOffTo',
] as const;

/**
 * One row per report, UTF-8 with a byte-order mark so spreadsheet programs read Chinese
 * correctly. Papa Parse does the quoting (commas, quotes, line breaks) and neutralises cells a
 * spreadsheet would run as formulas (`=`, `+`, `-`, `@` get a leading `'`).
 */
export function exportCsv(items: readonly ExportItem[]): string {
  const data = items.map(({ record, artifacts, capturedText }) => {
    const { report } = record;
    return [
      report.id,
      record.status,
      report.createdAt,
      report.category,
      report.subReason ?? '',
      safeHost(report.target.url),
      report.target.url,
      report.target.canonicalUrl ?? '',
      report.target.title,
      report.explanation,
      capturedText ?? '',
      record.sentAt === undefined ? '' : new Date(record.sentAt).toISOString(),
      record.receipt ?? '',
      record.review?.state ?? '',
      record.review?.outcome ?? '',
      record.review?.publicNote ?? '',
      artifacts.map((a) => `${a.name}:${a.sha256}`).join(' '),
      handoffsOf(record)
        .map((line) => [line.channel ?? line.endpoint, new Date(line.at).toISOString(), line.receipt].filter(Boolean).join(' '))
        .join('; '),
    ];
  });
  return toCsv(CSV_COLUMNS, data);
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export interface BundleOptions {
  now: number;
  t: Translate;
  lang: string;
  categories: readonly CategoryDef[];
}

/**
 * The ZIP evidence bundle: `manifest.json` (every hash), `reports.json` (wire format),
 * `reports.csv`, each report's artifacts under `evidence/<id>/`, its captured text as
 * `evidence/<id>/captured-text.txt` when there is no text artifact, and `summary.html`, a page a
 * parent can print or hand over.
 */
export function buildBundle(items: readonly ExportItem[], options: BundleOptions): Uint8Array {
  const mtime = new Date(options.now);
  const files: Zippable = {};
  const entries: BundleEntry[] = items.map(({ record, ledger, artifacts }) => {
    for (const artifact of artifacts) {
      // Images are compressed already; store them as they are.
      const level = /^(image|video|audio)\//.test(artifact.mediaType) ? 0 : 6;
      files[artifactPath(record.id, artifact.name)] = [artifact.bytes, { level, mtime }];
    }
    return {
      report: record.report,
      record: {
        status: record.status,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        attempts: record.attempts,
        ...(record.sentAt === undefined ? {} : { sentAt: record.sentAt }),
        ...(record.endpoint ? { endpoint: record.endpoint } : {}),
        ...(record.receipt ? { receipt: record.receipt } : {}),
        ...(record.lastError ? { lastError: record.lastError } : {}),
        ...(record.duplicateAck ? { duplicateAck: true } : {}),
        ...(record.review ? { review: record.review } : {}),
      },
      ledger,
      artifacts: artifacts.map((a) => ({
        name: a.name,
        path: artifactPath(record.id, a.name),
        mediaType: a.mediaType,
        size: a.size,
        sha256: a.sha256,
        ...(a.capturedAt ? { capturedAt: a.capturedAt } : {}),
      })),
    };
  });
  const manifest = BundleManifest.parse({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt: isoWithOffset(options.now), reports: entries });
  for (const item of items) {
    const hasTextArtifact = item.artifacts.some((a) => a.mediaType.startsWith('text/plain'));
    if (item.capturedText && !hasTextArtifact) files[`evidence/${item.record.id}/captured-text.txt`] = [strToU8(item.capturedText), { mtime }];
  }
  files['manifest.json'] = [strToU8(`${JSON.stringify(manifest, null, 2)}\n`), { mtime }];
  if (items.length > 0) files['reports.json'] = [strToU8(exportJson(items)), { mtime }];
  files['reports.csv'] = [strToU8(exportCsv(items)), { mtime }];
  files['summary.html'] = [strToU8(summaryHtml(items, options)), { mtime }];
  return zipSync(files, { level: 6 });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

/**
 * A self-contained, printable page (no scripts, no remote resources) in the exporting user's
 * language. Every value from a report or a page is escaped: it is text, never markup.
 */
export function summaryHtml(items: readonly ExportItem[], { now, t, lang, categories }: BundleOptions): string {
  const e = escapeHtml;
  const label = (categoryId: string, reasonId?: string) => {
    const category = findCategory(categories, categoryId);
    const reason = findReason(category, reasonId);
    const name = category ? categoryLabel(t, category) : categoryId;
    return reason ? `${name} · ${t(reason.label)}` : name;
  };
  const row = (name: string, value: string) => (value ? `<tr><th scope="row">${e(name)}</th><td>${e(value)}</td></tr>` : '');
  const sections = items
    .map(({ record, ledger, artifacts, capturedText }, index) => {
      const { report } = record;
      const ledgerRows = ledger
        .map(
          (l) =>
            `<li>${e(new Date(l.at).toISOString())} — ${e(l.endpoint)} — ${e(l.outcome)}${l.httpStatus ? ` (HTTP ${l.httpStatus})` : ''}${
              l.receipt ? ` — ${e(t('workspace_detail_receipt'))}: ${e(l.receipt)}` : ''
            }${l.detail ? ` — ${e(l.detail)}` : ''}</li>`,
        )
        .join('');
      const artifactRows = artifacts.map((a) => `<li>${e(a.name)} (${e(a.mediaType)}, ${a.size} B)<br><code>SHA-256 ${e(a.sha256)}</code></li>`).join('');
      return `<section class="report">
<h2>${index + 1}. ${e(report.target.title || report.target.url)}</h2>
<table>
${row(t('workspace_detail_id'), report.id)}
${row(t('workspace_detail_state'), t(`workspace_state_${record.status}`))}
${row(t('workspace_detail_created'), report.createdAt)}
${row(t('workspace_detail_category'), label(report.category, report.subReason))}
${row(t('workspace_detail_url'), report.target.url)}
${row(t('workspace_detail_canonical'), report.target.canonicalUrl ?? '')}
${row(t('workspace_detail_explanation'), report.explanation)}
${row(t('workspace_detail_capturedText'), capturedText ?? '')}
${row(t('workspace_detail_receipt'), record.receipt ?? '')}
</table>
${artifactRows ? `<h3>${e(t('workspace_detail_evidence'))}</h3><ul>${artifactRows}</ul>` : ''}
${ledgerRows ? `<h3>${e(t('workspace_detail_ledger'))}</h3><ul>${ledgerRows}</ul>` : ''}
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t('workspace_summary_title'))}</title>
<style>
body{font-family:system-ui,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;margin:2rem;color:#111;line-height:1.5}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
th{width:12rem;background:#f2f2f2}code{font-size:.8rem;overflow-wrap:anywhere}.report{margin-bottom:2rem}
@media print{body{margin:0}.report{break-inside:avoid-page}a{color:inherit}}
</style>
</head>
<body>
<h1>${e(t('workspace_summary_title'))}</h1>
<p>${e(t('workspace_summary_intro', [String(items.length), isoWithOffset(now)]))}</p>
${sections}
</body>
</html>
`;
}
