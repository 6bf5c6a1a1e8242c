/**
 * The audit log: who did what, when. Append-only by construction — this module is the only one
 * that touches the table and it has no update or delete.
 */
import type { z } from 'zod';
import type { AuditAction, AuditEntry } from '../api/contract';
import type { DeskDb } from './engine';

export interface Actor {
  id: string;
  email: string;
}

export async function appendAudit(
  db: DeskDb,
  entry: { actor: Actor | null; action: z.infer<typeof AuditAction>; subject?: string | null; detail?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: (entry.at ?? new Date()).toISOString(),
      actor_id: entry.actor?.id ?? null,
      actor_email: entry.actor?.email ?? null,
      action: entry.action,
      subject: entry.subject ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** Newest first; `before` is the `seq` of the last entry of the previous page. */
export async function auditPage(
  db: DeskDb,
  before: number | undefined,
  limit: number,
): Promise<{ entries: Array<z.infer<typeof AuditEntry>>; next: number | null }> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(limit + 1);
  if (before !== undefined) query = query.where('seq', '<', before);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    entries: page.map((row) => ({
      id: String(row.seq),
      at: row.at,
      actor: row.actor_id ? { id: row.actor_id, email: row.actor_email ?? '' } : null,
      action: row.action as z.infer<typeof AuditAction>,
      subject: row.subject,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    })),
    next: rows.length > limit ? Number(page.at(-1)?.seq) : null,
  };
}
