import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Channel } from '../schema/channel-catalogue';
import type { ExportItem } from '../workspace/export';
import { channelFields, subjectText } from './fields';

/**
 * A volunteer's packet for one email channel (issue 16): the reports of a selection as one ZIP —
 * `fields.txt` (every report's fields, in the channel's language, ready to paste into one email
 * or several), each report's evidence under `evidence/<id>/`, and `manifest.json` with the
 * SHA-256 of every file so the channel (or anyone) can check nothing changed. Flagline does not
 * send it: the user attaches it to their own email.
 */
export function buildChannelPacket(channel: Channel, items: readonly ExportItem[], exportedAt: string): Uint8Array {
  const mtime = new Date(exportedAt);
  const files: Zippable = {};
  const zh = channel.language === 'zh_CN';
  const separator = zh ? '：' : ': ';
  const blocks = items.map(({ record, artifacts }, index) => {
    const lines = [`# ${index + 1}/${items.length}  ${subjectText(channel, record.report)}`];
    for (const field of channelFields(channel, record.report)) {
      if (field.source === 'subject') continue;
      const label = zh ? field.label : field.labelEn;
      const text = field.source === 'screenshots' ? artifacts.map((a) => `evidence/${record.id}/${a.name}  SHA-256 ${a.sha256}`).join('\n') : field.text;
      if (text) lines.push(text.includes('\n') ? `${label}${separator}\n${text}` : `${label}${separator}${text}`);
    }
    for (const artifact of artifacts) {
      files[`evidence/${record.id}/${artifact.name}`] = [artifact.bytes, { level: artifact.mediaType.startsWith('image/') ? 0 : 6, mtime }];
    }
    return lines.join('\n');
  });
  const header = channel.emailAddress ? `${zh ? '收件人' : 'To'}${separator}${channel.emailAddress}\n\n` : '';
  files['fields.txt'] = [strToU8(`${header}${blocks.join('\n\n')}\n`), { mtime }];
  const manifest = {
    format: 'flagline-handoff-packet',
    version: 1,
    channel: channel.id,
    exportedAt,
    reports: items.map(({ record, artifacts }) => ({
      id: record.id,
      files: artifacts.map((a) => ({ path: `evidence/${record.id}/${a.name}`, mediaType: a.mediaType, size: a.size, sha256: a.sha256 })),
    })),
  };
  files['manifest.json'] = [strToU8(`${JSON.stringify(manifest, null, 2)}\n`), { mtime }];
  return zipSync(files);
}
