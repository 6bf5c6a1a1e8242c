/** Reports for the reviewers' suites: each on its own page unless a URL is given, delivered through intake. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Report } from '../../../utils/schema/report';
import { BatchResponse, type ReportResult } from '../../../utils/schema/wire';
import { wireReport, type ReportOptions } from '../../support/wire-reports';
import type { TestDesk } from './desk';

export interface ReviewReportOptions extends ReportOptions {
  title?: string;
  /** The captured text (`target.text`). */
  captured?: string;
}

export async function reviewReport(options: ReviewReportOptions = {}): Promise<Report> {
  const base = await wireReport({ ...options, url: options.url ?? `https://weibo.example/post/${randomUUID()}` });
  return {
    ...base,
    target: {
      ...base.target,
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.captured !== undefined ? { text: options.captured } : {}),
    },
  };
}

/** Delivers the reports in one batch, each accepted; returns their results (with status tokens). */
export async function deliver(t: TestDesk, reports: Report[], token = t.channel.token): Promise<ReportResult[]> {
  const response = await fetch(t.desk.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ reports }),
  });
  expect(response.status).toBe(200);
  const results = BatchResponse.parse(await response.json()).results ?? [];
  expect(results.map((r) => r.status)).toEqual(reports.map(() => 'accepted'));
  return results;
}
