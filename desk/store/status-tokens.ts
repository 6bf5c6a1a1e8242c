/**
 * Status tokens let a reporter (and nobody else) ask what became of their report. A token is an
 * HMAC of the report id under a key the Desk made at installation (desk_meta), so it need not be
 * stored: a resend answered `duplicate` gets the same token again, even when the first answer
 * was lost on the way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeskDb } from './engine';

export interface StatusTokens {
  tokenFor(reportId: string): string;
  verify(reportId: string, token: string): boolean;
}

export async function loadStatusTokens(db: DeskDb): Promise<StatusTokens> {
  const row = await db.selectFrom('desk_meta').select('value').where('key', '=', 'status_token_key').executeTakeFirstOrThrow();
  const key = Buffer.from(row.value, 'base64');
  const tokenFor = (reportId: string) => `fls_${createHmac('sha256', key).update(`status:${reportId}`).digest('base64url')}`;
  return {
    tokenFor,
    verify(reportId, token) {
      const expected = Buffer.from(tokenFor(reportId));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
