import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { flushOutbox } from '@/utils/outbox';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { acknowledgeDuplicates, changeCategory, deleteReports, keepOneDuplicate, restoreReports, retryFailed, submitHeld } from '@/utils/workspace/bulk';
import { canEdit, editability, editReport } from '@/utils/reports/edit';
import { freshDb, testClock } from './helpers';
import { artifact, memoryEvidence, seedReport } from './workspace-support';

const deps = (clock: () => number) => ({ clock, categories: BUILT_IN_CATEGORIES });

/** An outbox over `db` whose endpoint accepts everything. */
function outboxOver(db: ReturnType<typeof freshDb>, clock: () => number) {
  const fetch = vi.fn(async () => new Response(null, { status: 204 }));
  const outbox = {
    db,
    fetch: fetch as unknown as typeof globalThis.fetch,
    clock,
    random: () => 0.5,
    workerId: 'w',
    getSettings: async () => ({ ...DEFAULT_SETTINGS, endpointUrl: 'https://reports.example.org/v1/reports' }),
  };
  return { fetch, outbox };
}

describe('edit rules', () => {
  it('edits in place before any attempt, as a new revision after one; never once sent or in flight', () => {
    expect(editability({ status: 'held', attempts: 0 })).toBe('editable');
    expect(editability({ status: 'waiting', attempts: 0 })).toBe('editable');
    expect(editability({ status: 'failed', attempts: 2 })).toBe('revision');
    expect(editability({ status: 'waiting', attempts: 1 })).toBe('revision');
    expect(editability({ status: 'held', attempts: 1 })).toBe('revision');
    expect(editability({ status: 'waiting', attempts: 0, wireBody: '{}' })).toBe('revision');
    expect(editability({ status: 'sending', attempts: 0 })).toBe('sending');
    expect(editability({ status: 'waiting', attempts: 0 }, true)).toBe('sending');
    expect(editability({ status: 'sent', attempts: 1 })).toBe('sent');
  });

  it('edits explanation and category of a held report and recomputes the DSA code', async () => {
    const db = freshDb();
    const clock = testClock();
    const record = await seedReport(db, clock, { explanation: 'old', patch: { status: 'held' } });
    clock.advance(1000);
    const edited = await editReport(db, record.id, { explanation: '  新的说明 ', category: 'cyberviolence', subReason: 'doxxing' }, deps(clock));
    expect(edited.report).toMatchObject({
      explanation: '新的说明',
      category: 'cyberviolence',
      subReason: 'doxxing',
      dsaCategory: 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS',
      id: record.id,
      createdAt: record.report.createdAt,
    });
    expect((await db.reports.get(record.id))?.updatedAt).toBe(clock());
  });

  it('refuses to change a sent report, in the database and not only in the UI', async () => {
    const db = freshDb();
    const clock = testClock();
    const record = await seedReport(db, clock, { explanation: 'as sent', patch: { status: 'sent', attempts: 1, sentAt: clock() } });
    await expect(editReport(db, record.id, { explanation: 'changed' }, deps(clock))).rejects.toMatchObject({ key: 'workspace_error_readOnly' });
    expect((await db.reports.get(record.id))?.report.explanation).toBe('as sent');
    const sending = await seedReport(db, clock, { patch: { status: 'sending', attempts: 1 } });
    expect(canEdit(sending)).toBe(false);
    await expect(editReport(db, sending.id, { category: 'minors' }, deps(clock))).rejects.toMatchObject({ key: 'workspace_error_readOnly' });
  });

  it('refuses to change a report in flight (named by a batch lease), alone or in a bulk change', async () => {
    const db = freshDb();
    const clock = testClock();
    const record = await seedReport(db, clock, { explanation: 'in flight' });
    const other = await seedReport(db, clock, { explanation: 'not in flight' });
    await db.leases.add({
      id: 'l',
      owner: 'w',
      until: clock() + 60_000,
      reports: [{ id: record.id, revision: 1 }],
      firstCreatedAt: record.createdAt,
      lastCreatedAt: record.createdAt,
    });
    await expect(editReport(db, record.id, { explanation: 'changed' }, deps(clock))).rejects.toMatchObject({ key: 'workspace_error_readOnly' });
    expect(await changeCategory(db, [record.id, other.id], { category: 'minors' }, deps(clock))).toEqual({ changed: 1, skipped: 1 });
    expect((await db.reports.get(record.id))?.report).toEqual(record.report);
    expect((await db.reports.get(other.id))?.report.category).toBe('minors');
  });

  it('an edit after a delivery attempt is the next revision with no frozen body, and keeps its state', async () => {
    const db = freshDb();
    const clock = testClock();
    const failed = await seedReport(db, clock, { explanation: 'v1', patch: { status: 'failed', attempts: 2, wireBody: '{"frozen":true}' } });
    const edited = await editReport(db, failed.id, { explanation: 'v2' }, deps(clock));
    expect(edited.report).toMatchObject({ id: failed.id, explanation: 'v2', revision: 2 });
    expect(edited.status).toBe('failed');
    const stored = await db.reports.get(failed.id);
    expect(stored?.wireBody).toBeUndefined();
    expect(stored?.report.revision).toBe(2);
    const again = await editReport(db, failed.id, { explanation: 'v3' }, deps(clock));
    expect(again.report.revision).toBe(3);
    const held = await seedReport(db, clock, { patch: { status: 'held', attempts: 1 } });
    expect((await editReport(db, held.id, { explanation: 'x' }, deps(clock))).status).toBe('held');
    const fresh = await seedReport(db, clock, { patch: { status: 'held' } });
    expect((await editReport(db, fresh.id, { explanation: 'x' }, deps(clock))).report.revision).toBeUndefined();
  });

  it('refuses an unknown category and a too long explanation, changing nothing', async () => {
    const db = freshDb();
    const clock = testClock();
    const record = await seedReport(db, clock, { explanation: 'keep' });
    await expect(editReport(db, record.id, { category: 'nope' }, deps(clock))).rejects.toMatchObject({ key: 'workspace_error_category' });
    await expect(editReport(db, record.id, { explanation: 'x'.repeat(5001) }, deps(clock))).rejects.toMatchObject({ key: 'workspace_error_tooLong' });
    expect((await db.reports.get(record.id))?.report).toEqual(record.report);
  });
});

describe('bulk actions', () => {
  it('the outbox never sends held reports; Submit selected queues them and they are sent', async () => {
    const db = freshDb();
    const clock = testClock();
    const held = await seedReport(db, clock, { patch: { status: 'held' } });
    const other = await seedReport(db, clock, { patch: { status: 'held' } });
    const { fetch, outbox } = outboxOver(db, clock);
    expect(await flushOutbox(outbox, { force: true })).toMatchObject({ attempted: 0 });
    expect(fetch).not.toHaveBeenCalled();

    expect(await submitHeld(db, [held.id], clock)).toEqual({ changed: 1, skipped: 0 });
    expect(await flushOutbox(outbox)).toMatchObject({ attempted: 1, sent: 1 });
    expect((await db.reports.get(held.id))?.status).toBe('sent');
    expect((await db.reports.get(other.id))?.status).toBe('held');
  });

  it('Retry failed queues only the failed ones of the selection', async () => {
    const db = freshDb();
    const clock = testClock();
    const failed = await seedReport(db, clock, { patch: { status: 'failed', attempts: 1, nextAttemptAt: clock() + 99_999 } });
    const sent = await seedReport(db, clock, { patch: { status: 'sent', attempts: 1 } });
    expect(await retryFailed(db, [failed.id, sent.id], clock)).toEqual({ changed: 1, skipped: 1 });
    expect(await db.reports.get(failed.id)).toMatchObject({ status: 'waiting', nextAttemptAt: clock() });
    expect((await db.reports.get(sent.id))?.status).toBe('sent');
  });

  it("Retry failed is the same retry as a single report's Retry: the age limit counts again from now, and undelivered reports are retried too", async () => {
    const db = freshDb();
    const clock = testClock();
    const dayMs = 86_400_000;
    const old = await seedReport(db, clock, { patch: { status: 'failed', attempts: 1, nextAttemptAt: clock() + 99_999 } });
    const undelivered = await seedReport(db, clock, { patch: { status: 'undelivered', attempts: 5 } });
    clock.advance((DEFAULT_SETTINGS.maxAgeDays + 1) * dayMs);
    expect(await retryFailed(db, [old.id, undelivered.id], clock)).toEqual({ changed: 2, skipped: 0 });
    for (const id of [old.id, undelivered.id])
      expect(await db.reports.get(id)).toMatchObject({ status: 'waiting', nextAttemptAt: clock(), retriedAt: clock() });
    const { outbox } = outboxOver(db, clock);
    expect(await flushOutbox(outbox)).toMatchObject({ attempted: 2, sent: 2 });
    expect((await db.reports.get(old.id))?.status).toBe('sent');
  });

  it('changes the category of editable reports and skips sent ones', async () => {
    const db = freshDb();
    const clock = testClock();
    const a = await seedReport(db, clock, { subReason: 'fabricated', patch: { status: 'held' } });
    const b = await seedReport(db, clock, { patch: { status: 'sent', attempts: 1 } });
    expect(await changeCategory(db, [a.id, b.id], { category: 'minors', subReason: 'gambling_loans' }, deps(clock))).toEqual({ changed: 1, skipped: 1 });
    expect((await db.reports.get(a.id))?.report).toMatchObject({ category: 'minors', subReason: 'gambling_loans' });
    expect((await db.reports.get(b.id))?.report.category).toBe('rumor');
  });

  it('delete takes the ledger and evidence along, and undo puts every piece back', async () => {
    const db = freshDb();
    const clock = testClock();
    const ledger = [{ at: 5, endpoint: 'https://r.example/', outcome: 'accepted' as const, httpStatus: 200, receipt: 'R-1' }];
    const a = await seedReport(db, clock, { patch: { status: 'sent', attempts: 1, receipt: 'R-1', ledger } });
    const b = await seedReport(db, clock);
    // In flight: a version-3 record still saying `sending`, and a waiting one named by a batch lease.
    const inFlight = await seedReport(db, clock, { patch: { status: 'sending' } });
    const leased = await seedReport(db, clock);
    await db.leases.add({
      id: 'l1',
      owner: 'w',
      until: clock() + 60_000,
      reports: [{ id: leased.id, revision: 1 }],
      firstCreatedAt: leased.createdAt,
      lastCreatedAt: leased.createdAt,
    });
    const evidence = memoryEvidence({ [a.id]: [await artifact('shot.png', 'image/png', new Uint8Array([1, 2, 3]))] });

    const deleted = await deleteReports(db, evidence, [a.id, b.id, inFlight.id, leased.id]);
    expect(deleted.skipped).toBe(2);
    expect(await db.reports.count()).toBe(2);
    expect(evidence.store.has(a.id)).toBe(false);

    await restoreReports(db, evidence, deleted);
    expect(await db.reports.get(a.id)).toEqual(a);
    expect((await db.reports.get(a.id))?.ledger).toEqual(ledger);
    expect(await db.reports.get(b.id)).toEqual(b);
    expect(evidence.store.get(a.id)?.[0]?.name).toBe('shot.png');
  });

  it('duplicates: keep one with merged explanations, or acknowledge to send both', async () => {
    const db = freshDb();
    const clock = testClock();
    const evidence = memoryEvidence();
    const a = await seedReport(db, clock, { explanation: '第一', patch: { status: 'held' } });
    const b = await seedReport(db, clock, { explanation: 'second', patch: { status: 'held' } });
    const { deleted } = await keepOneDuplicate(db, evidence, a.id, [a.id, b.id], { merge: true, ...deps(clock) });
    expect((await db.reports.get(a.id))?.report.explanation).toBe('第一\n\nsecond');
    expect(await db.reports.get(b.id)).toBeUndefined();
    expect(deleted.items.map((i) => i.record.id)).toEqual([b.id]);

    const c = await seedReport(db, clock, { patch: { status: 'held' } });
    await acknowledgeDuplicates(db, [a.id, c.id], clock);
    expect((await db.reports.get(c.id))?.duplicateAck).toBe(true);
  });
});
