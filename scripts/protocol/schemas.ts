/**
 * The protocol's JSON Schemas, generated from the zod wire schemas (utils/schema/wire.ts) with
 * zod 4's `z.toJSONSchema`. `npm run protocol:schema` writes them to public/protocol/, so they
 * ship inside the extension (input mode: what a receiver must accept, so unknown fields are allowed); tests/unit/protocol-schema.test.ts fails when the shipped files
 * differ from what the zod schemas generate.
 */
import { z } from 'zod';
import { REPORT_SCHEMA_VERSION } from '../../utils/schema/report';
import { BatchResponse, ReportBatch, ReportStatus, StatusBatchRequest, StatusBatchResponse } from '../../utils/schema/wire';

export const PROTOCOL_VERSION = 1;
export const SCHEMA_BASE = 'https://flagline.app/protocol/v1/';

function generate(schema: z.ZodType, file: string, title: string, description: string): string {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  const withMeta = { $schema: json.$schema, $id: `${SCHEMA_BASE}${file}`, title, description, ...json };
  return `${JSON.stringify(withMeta, null, 2)}\n`;
}

/** File name (under public/protocol/) → exact file content. */
export function protocolSchemaFiles(): Record<string, string> {
  return {
    'report-batch.schema.json': generate(
      ReportBatch,
      'report-batch.schema.json',
      'Flagline report batch',
      `The body of a POST to a reporting endpoint (docs/protocol.md, protocol v${PROTOCOL_VERSION}, report schemaVersion ${REPORT_SCHEMA_VERSION}).`,
    ),
    'batch-response.schema.json': generate(
      BatchResponse,
      'batch-response.schema.json',
      'Flagline batch response',
      'What an endpoint may answer with a 2xx: a result per report. A bare 2xx means all accepted.',
    ),
    'report-status.schema.json': generate(
      ReportStatus,
      'report-status.schema.json',
      'Flagline report status',
      'What GET <endpoint>/{id}/status answers, with Authorization: Bearer <the statusToken of the report>.',
    ),
    'status-batch-request.schema.json': generate(
      StatusBatchRequest,
      'status-batch-request.schema.json',
      'Flagline status batch request',
      'The body of a POST to <endpoint>/status (or the statusUrl a result gave): up to 100 reports, each with its statusToken.',
    ),
    'status-batch-response.schema.json': generate(
      StatusBatchResponse,
      'status-batch-response.schema.json',
      'Flagline batch status response',
      'What POST <endpoint>/status answers: a status per report whose token matched; unknown ids and wrong tokens are left out.',
    ),
  };
}
