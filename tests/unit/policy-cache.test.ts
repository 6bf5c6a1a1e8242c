import { describe, expect, it, vi } from 'vitest';
import { cachedManagedStorageReader, type StorageChangedEvent } from '@/utils/policy';

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
