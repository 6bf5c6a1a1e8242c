import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildHandoffPacket, type PacketManifest, type StoredReportBody } from '../../desk/handoff/packet';
import { bodyWithoutBytes } from '../../desk/intake/prepare';
import { SHIPPED_CATALOGUE } from '../../utils/handoff/catalogue';
import { channelFields, mailtoDraft, subjectText } from '../../utils/handoff/fields';
import type { Report } from '../../utils/schema/report';
import { randomScreenshot, wireReport } from '../support/wire-reports';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const AT = new Date('2026-12-06T05:00:00.000Z');

function channel(id: string) {
  const found = SHIPPED_CATALOGUE.channels.find((entry) => entry.id === id);
  if (!found) throw new Error(`no channel ${id} in the catalogue`);
  return found;
}

/** A report as the Desk holds it: the stored body (no bytes) and the stored evidence bytes. */
async function storedReport() {
  const wire: Report = {
    ...(await wireReport({ screenshot: randomScreenshot(5_000), text: '明天全市停水三天，请大家转发', url: 'https://weibo.example/post/42' })),
    reporter: { name: '李老师', contact: 'li@school.example' },
  };
  const artifacts = (wire.evidence?.artifacts ?? []).map((artifact) => ({
    name: artifact.name,
    mediaType: artifact.mediaType,
    bytes: new Uint8Array(Buffer.from(artifact.dataBase64, 'base64')),
  }));
  return { wire, body: bodyWithoutBytes(wire) as StoredReportBody, artifacts };
}

function open(zip: Uint8Array) {
  const files = unzipSync(zip);
  const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array)) as PacketManifest;
  return { files, manifest };
}

describe('hand-off packet', () => {
  it('holds the fields as the shared builders write them, the evidence, and a manifest whose hashes verify', async () => {
    const { wire, body, artifacts } = await storedReport();
    const web = channel('cac-12377-web');
    const { files, manifest } = open(buildHandoffPacket({ report: body, artifacts, channel: web, receipt: 'FL-20261206-0123456789', at: AT }));

    expect(Object.keys(files).sort()).toEqual(['evidence/text.txt', 'evidence/viewport.png', 'fields.txt', 'manifest.json']);
    expect(manifest).toMatchObject({
      packetVersion: 1,
      createdAt: AT.toISOString(),
      report: { id: wire.id, receipt: 'FL-20261206-0123456789' },
      channel: { id: web.id },
    });
    expect(manifest.files.map((file) => file.path).sort()).toEqual(['evidence/text.txt', 'evidence/viewport.png', 'fields.txt']);
    for (const entry of manifest.files) {
      const bytes = files[entry.path] as Uint8Array;
      expect(entry.size).toBe(bytes.length);
      expect(entry.sha256).toBe(sha256(bytes));
    }
    for (const artifact of wire.evidence?.artifacts ?? []) {
      const entry = manifest.files.find((file) => file.path === `evidence/${artifact.name}`);
      expect(entry).toMatchObject({ reportedSha256: artifact.sha256, matchesReported: true, sha256: artifact.sha256 });
      expect(Buffer.from(files[`evidence/${artifact.name}`] as Uint8Array).toString('base64')).toBe(artifact.dataBase64);
    }

    // Each field, in the form's order, with the label the form shows and exactly the builders' text.
    const fields = strFromU8(files['fields.txt'] as Uint8Array);
    expect(fields.startsWith(`${web.name.zh_CN}\r\n${web.formUrl}\r\n`)).toBe(true);
    let position = 0;
    for (const field of channelFields(web, wire)) {
      const block = `${field.label}${field.required ? ' *' : ''}\r\n${field.text}\r\n`;
      const at = fields.indexOf(block, position);
      expect(at, `field ${field.label}`).toBeGreaterThanOrEqual(position);
      position = at + block.length;
    }
    expect(fields).toContain('谣言类');
    expect(fields).toContain('https://weibo.example/post/42');
  });

  it('adds an email draft with the evidence attached, and the mailto link, for a channel that takes email', async () => {
    const { wire, body, artifacts } = await storedReport();
    const email = channel('cac-12377-email');
    const { files, manifest } = open(buildHandoffPacket({ report: body, artifacts, channel: email, receipt: 'FL-20261206-0123456789', at: AT }));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['email.eml', 'mailto.txt']));
    expect(manifest.files.map((file) => file.path)).toEqual(expect.arrayContaining(['email.eml', 'mailto.txt']));

    const mailto = mailtoDraft(email, wire) ?? '';
    expect(strFromU8(files['mailto.txt'] as Uint8Array).trim()).toBe(mailto);

    const eml = strFromU8(files['email.eml'] as Uint8Array);
    const headers = eml.slice(0, eml.indexOf('\r\n\r\n'));
    expect(headers).toContain(`To: ${email.emailAddress}`);
    const subject = /^Subject: =\?UTF-8\?B\?([^?]+)\?=$/m.exec(headers)?.[1] ?? '';
    expect(Buffer.from(subject, 'base64').toString('utf8')).toBe(subjectText(email, wire));
    expect(headers).toContain('X-Unsent: 1');
    const boundary = /boundary="([^"]+)"/.exec(headers)?.[1] ?? '';
    const parts = eml
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => {
        const split = part.indexOf('\r\n\r\n');
        return { head: part.slice(0, split), bytes: Buffer.from(part.slice(split + 4).replace(/\r\n/g, ''), 'base64') };
      });
    // The body is the builders' mailto body; the attachments are the evidence, byte for byte.
    expect(parts[0]?.bytes.toString('utf8')).toBe((new URL(mailto).searchParams.get('body') ?? '').replace(/\r?\n/g, '\r\n'));
    for (const artifact of artifacts) {
      const part = parts.find((candidate) => candidate.head.includes(`filename="${artifact.name}"`));
      expect(part?.bytes.equals(Buffer.from(artifact.bytes))).toBe(true);
    }
  });

  it('says when stored evidence no longer matches the hash the reporter sent', async () => {
    const { body, artifacts } = await storedReport();
    const changed = artifacts.map((artifact) =>
      artifact.name === 'viewport.png' ? { ...artifact, bytes: artifact.bytes.map((byte, i) => (i === 40 ? byte ^ 0xff : byte)) } : artifact,
    );
    const { manifest } = open(buildHandoffPacket({ report: body, artifacts: changed, channel: channel('cac-12377-web'), receipt: 'FL-1', at: AT }));
    expect(manifest.files.find((file) => file.path === 'evidence/viewport.png')?.matchesReported).toBe(false);
    expect(manifest.files.find((file) => file.path === 'evidence/text.txt')?.matchesReported).toBe(true);
  });

  it('tells where to go for a platform route and an office list', async () => {
    const { body, artifacts } = await storedReport();
    const weibo = channel('weibo-report');
    const offices = channel('cac-provincial-offices');
    const weiboFields = strFromU8(
      open(buildHandoffPacket({ report: body, artifacts, channel: weibo, receipt: 'FL-3', at: AT })).files['fields.txt'] as Uint8Array,
    );
    expect(weiboFields).toContain(weibo.route?.[weibo.language]);
    const officeFields = strFromU8(
      open(buildHandoffPacket({ report: body, artifacts, channel: offices, receipt: 'FL-3', at: AT })).files['fields.txt'] as Uint8Array,
    );
    for (const link of offices.links ?? []) expect(officeFields).toContain(link.name[offices.language]);
  });

  it('is a pure function: the same input gives the same bytes', async () => {
    const { body, artifacts } = await storedReport();
    const input = { report: body, artifacts, channel: channel('piyao-web'), receipt: 'FL-2', at: AT };
    expect(Buffer.from(buildHandoffPacket(input)).equals(Buffer.from(buildHandoffPacket(input)))).toBe(true);
  });
});
