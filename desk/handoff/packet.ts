/**
 * The hand-off packet (`GET /api/reports/{id}/handoff-packet?channel=ID`): one ZIP with what a
 * reviewer needs to hand a report on to an official channel by hand — the Desk never submits.
 *
 * - `fields.txt`: each field the channel's form asks for, in the form's order and the channel's
 *   language, ready to copy one by one. The text is the shared builders' (utils/handoff/fields.ts),
 *   the same the extension's companion shows: one owner for what a field says.
 * - `evidence/…`: the evidence files as stored.
 * - `email.eml` and `mailto.txt` for a channel that takes email: a draft with the evidence
 *   attached (opened as an unsent draft by mail clients that honour `X-Unsent`), and the
 *   builders' `mailto:` link for clients that do not open .eml files.
 * - `manifest.json`: every other file's path, size and SHA-256, and for evidence whether the bytes
 *   still hash to what the reporter sent — the recipient can check nothing changed on the way.
 *
 * Pure: the report body, the artifact bytes, the catalogue channel and the time in; bytes out
 * (the same input gives the same ZIP).
 */
import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { channelFields, mailtoDraft, type HandoffReport } from '../../utils/handoff/fields';
import type { WireArtifact } from '../../utils/schema/capture';
import type { Channel } from '../../utils/schema/channel-catalogue';

/** The report body as the Desk stores it: evidence listed by name, type, hash and size; bytes apart. */
export type StoredReportBody = Omit<HandoffReport, 'evidence'> & {
  evidence?: Omit<NonNullable<HandoffReport['evidence']>, 'artifacts'> & { artifacts: Array<Omit<WireArtifact, 'dataBase64'>> };
};

export interface PacketArtifact {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface HandoffPacketInput {
  report: StoredReportBody;
  /** The stored bytes of the report's evidence, by artifact name. */
  artifacts: readonly PacketArtifact[];
  channel: Channel;
  /** The Desk's receipt for the report (the reviewer quotes it when the channel answers). */
  receipt: string;
  /** When the packet is made: the manifest's time and the ZIP entries' dates. */
  at: Date;
}

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  /** Evidence only: the hash the reporter's extension computed, and whether the bytes still match it. */
  reportedSha256?: string;
  matchesReported?: boolean;
}

export interface PacketManifest {
  packetVersion: 1;
  createdAt: string;
  report: { id: string; receipt: string };
  channel: { id: string; name: string };
  files: ManifestFile[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Artifact names come from the wire schema's enum; still, a ZIP path must never climb out of its folder. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');

/** The report as the builders take it: the wire shape, each artifact's bytes back in place. */
function wireReportOf(report: StoredReportBody, artifacts: readonly PacketArtifact[]): HandoffReport {
  const { evidence, ...rest } = report;
  if (!evidence) return rest;
  const bytesOf = new Map(artifacts.map((artifact) => [artifact.name, artifact.bytes]));
  return {
    ...rest,
    evidence: {
      ...evidence,
      artifacts: evidence.artifacts.map((artifact) => ({
        ...artifact,
        dataBase64: Buffer.from(bytesOf.get(artifact.name) ?? new Uint8Array()).toString('base64'),
      })),
    },
  };
}

function fieldsText(channel: Channel, report: HandoffReport): string {
  const lang = channel.language;
  const lines = [
    channel.name[lang],
    ...(channel.formUrl ? [channel.formUrl] : []),
    ...(channel.emailAddress ? [channel.emailAddress] : []),
    // A platform's own report function, and a list of offices: where to go, as the catalogue says it.
    ...(channel.route ? [channel.route[lang]] : []),
    ...(channel.links ?? []).map((link) => (link.url ? `${link.name[lang]}  ${link.url}` : link.name[lang])),
    '',
  ];
  for (const field of channelFields(channel, report)) {
    // The label as the form shows it (the channel's language), then the text to paste; * marks a required field.
    lines.push(`${lang === 'zh_CN' ? field.label : field.labelEn}${field.required ? ' *' : ''}`, field.text, '');
  }
  return lines.join('\r\n');
}

/** RFC 2047 encoded-word for a non-ASCII header. */
const encodedWord = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`);
const base64Lines = (bytes: Uint8Array) =>
  (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');

/**
 * An RFC 5322 draft from the builders' `mailto:` link (its address, subject and body), with the
 * evidence attached — the one thing a mailto link cannot carry.
 */
function emailDraft(mailto: string, artifacts: readonly PacketArtifact[], at: Date): string {
  const url = new URL(mailto);
  const to = decodeURIComponent(url.pathname);
  const subject = url.searchParams.get('subject') ?? '';
  const body = url.searchParams.get('body') ?? '';
  const boundary = `flagline-${sha256(strToU8(`${mailto}\n${artifacts.map((a) => a.name).join('\n')}`)).slice(0, 24)}`;
  const parts = [
    [`Content-Type: text/plain; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(strToU8(body.replace(/\r?\n/g, '\r\n')))].join('\r\n'),
    ...artifacts.map((artifact) =>
      [
        `Content-Type: ${artifact.mediaType}; name="${safeName(artifact.name)}"`,
        `Content-Disposition: attachment; filename="${safeName(artifact.name)}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(artifact.bytes),
      ].join('\r\n'),
    ),
  ];
  return [
    `To: ${to}`,
    `Subject: ${encodedWord(subject)}`,
    `Date: ${at.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'X-Unsent: 1',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    ...parts.map((part) => `--${boundary}\r\n${part}`),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export function buildHandoffPacket(input: HandoffPacketInput): Uint8Array {
  const { channel, at } = input;
  const report = wireReportOf(input.report, input.artifacts);
  const reported = new Map<string, string>((input.report.evidence?.artifacts ?? []).map((artifact) => [artifact.name, artifact.sha256]));
  const files: Array<{ path: string; bytes: Uint8Array; reportedSha256?: string }> = [{ path: 'fields.txt', bytes: strToU8(fieldsText(channel, report)) }];
  for (const artifact of input.artifacts) {
    const reportedSha256 = reported.get(artifact.name);
    files.push({ path: `evidence/${safeName(artifact.name)}`, bytes: artifact.bytes, ...(reportedSha256 ? { reportedSha256 } : {}) });
  }
  const mailto = mailtoDraft(channel, report);
  if (mailto) {
    files.push({ path: 'email.eml', bytes: strToU8(emailDraft(mailto, input.artifacts, at)) });
    files.push({ path: 'mailto.txt', bytes: strToU8(`${mailto}\r\n`) });
  }
  const manifest: PacketManifest = {
    packetVersion: 1,
    createdAt: at.toISOString(),
    report: { id: report.id, receipt: input.receipt },
    channel: { id: channel.id, name: channel.name[channel.language] },
    files: files.map(({ path, bytes, reportedSha256 }) => {
      const hash = sha256(bytes);
      return { path, size: bytes.length, sha256: hash, ...(reportedSha256 ? { reportedSha256, matchesReported: reportedSha256 === hash } : {}) };
    }),
  };
  const entries: Zippable = {};
  // PNGs are compressed already: stored as they are; text is deflated.
  for (const file of files) entries[file.path] = [file.bytes, { level: file.path.endsWith('.png') ? 0 : 6, mtime: at }];
  entries['manifest.json'] = [strToU8(`${JSON.stringify(manifest, null, 2)}\n`), { level: 6, mtime: at }];
  return zipSync(entries);
}
