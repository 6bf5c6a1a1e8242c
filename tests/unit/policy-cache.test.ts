import { describe, expect, it, vi } from 'vitest';
import { cachedManagedStorageReader, lastKnownPolicy, soonPolicyReader, type StorageChangedEvent } from '@/utils/policy';
import { freshDb } from './helpers';

function changes() {
  const listeners = new Set<(changes: Record<string, unknown>, area: string) => void>();
  const event: StorageChangedEvent = { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) };
  return { event, fire: (area: string) => listeners.forEach((l) => l({ organizationName: {} }, area)) };
}

describe('the background reads the managed policy once, and again when it changes', () => {
  it('answers later reads from the first, and reads again after a managed-area change only', async () => {
    let policy: Record<string, unknown> = { organizationName: 'A' };
    const area = { get: vi.fn(async () => policy) };
    const { event, fire } = changes();
    const read = cachedManagedStorageReader(area, event);
    expect(await read()).toEqual({ organizationName: 'A' });
    expect(await read()).toEqual({ organizationName: 'A' });
    expect(area.get).toHaveBeenCalledTimes(1);

    policy = { organizationName: 'B' };
    fire('local');
    expect(await read()).toEqual({ organizationName: 'A' });
    fire('managed');
    expect(await read()).toEqual({ organizationName: 'B' });
    expect(area.get).toHaveBeenCalledTimes(2);
  });

  it('starts reading when it is made (the worker starts), so the first pick does not wait for the browser', async () => {
    let answer: (policy: Record<string, unknown>) => void = () => undefined;
    const area = { get: vi.fn(() => new Promise<Record<string, unknown>>((resolve) => (answer = resolve))) };
    const read = cachedManagedStorageReader(area, changes().event);
    expect(area.get).toHaveBeenCalledTimes(1);
    answer({ organizationName: 'D' });
    expect(await read()).toEqual({ organizationName: 'D' });
    expect(area.get).toHaveBeenCalledTimes(1);
  });

  it('keeps no failed read (Firefox throws when there is no policy)', async () => {
    const area = { get: vi.fn(async () => ({ organizationName: 'C' })) };
    area.get.mockRejectedValueOnce(new Error('Managed storage manifest not found'));
    const read = cachedManagedStorageReader(area, changes().event);
    expect(await read()).toEqual({});
    expect(await read()).toEqual({ organizationName: 'C' });
  });
});

describe('a policy answer for decisions that cannot wait', () => {
  it('is the browser’s answer when it comes in time, and is kept for next time', async () => {
    const db = freshDb();
    const soon = soonPolicyReader(async () => ({ allowScreenshots: false }), lastKnownPolicy(db));
    expect(await soon()).toEqual({ allowScreenshots: false });
    await vi.waitFor(async () => expect(await lastKnownPolicy(db).load()).toEqual({ allowScreenshots: false }));
  });

  it('is the policy as last read while the browser keeps the first read waiting, and nothing before any read', async () => {
    const db = freshDb();
    const never = () => new Promise<unknown>(() => undefined);
    expect(await soonPolicyReader(never, lastKnownPolicy(db))()).toEqual({});
    await lastKnownPolicy(db).save({ organizationName: 'School', allowScreenshots: false });
    const started = Date.now();
    expect(await soonPolicyReader(never, lastKnownPolicy(db))()).toEqual({ organizationName: 'School', allowScreenshots: false });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not hold the pick for a browser that has not answered yet: the policy as last read answers as soon as it is read', async () => {
    const db = freshDb();
    await lastKnownPolicy(db).save({ allowScreenshots: false });
    let answer: (raw: unknown) => void = () => undefined;
    const soon = soonPolicyReader(() => new Promise<unknown>((resolve) => (answer = resolve)), lastKnownPolicy(db));
    const asked = soon();
    // The browser answers a moment after the remembered policy was read (a grace period would take it).
    setTimeout(() => answer({ allowScreenshots: true }), 15);
    expect(await asked).toEqual({ allowScreenshots: false });
  });

  it('keeps the browser’s late answer for the next time', async () => {
    const db = freshDb();
    let answer: (raw: unknown) => void = () => undefined;
    const late = new Promise<unknown>((resolve) => (answer = resolve));
    const soon = soonPolicyReader(() => late, lastKnownPolicy(db));
    expect(await soon()).toEqual({});
    answer({ allowScreenshots: false });
    await vi.waitFor(async () => expect(await lastKnownPolicy(db).load()).toEqual({ allowScreenshots: false }));
    expect(await soon()).toEqual({ allowScreenshots: false });
  });
});
