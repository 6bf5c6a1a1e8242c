// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import type { StorageChangedEvent } from '@/utils/policy';
import type { PolicySource } from '@/utils/ui/policy';
import { useWorkspacePolicy } from '@/utils/ui/workspace-policy';
import { deliveryStateKey } from '@/utils/workspace/rows';
import { translatorFor } from './chrome-i18n';
import { freshDb } from './helpers';

afterEach(cleanup);

function managedArea(initial: Record<string, unknown>) {
  let value = initial;
  const listeners = new Set<(changes: Record<string, unknown>, area: string) => void>();
  const changes: StorageChangedEvent = { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) };
  return {
    source: { read: async () => value, changes } satisfies PolicySource,
    set(next: Record<string, unknown>) {
      value = next;
      for (const l of listeners) l({}, 'managed');
    },
  };
}

function Probe({ db, source }: { db: FlaglineDB; source: PolicySource }) {
  const { categories, organizationName, noEndpoint } = useWorkspacePolicy(db, source, BUILT_IN_CATEGORIES, 'en');
  return (
    <>
      <p data-testid="probe">
        {organizationName ?? '-'}|{categories.map((c) => c.id).join(',')}
      </p>
      <p data-testid="endpoint">{noEndpoint ? 'none' : 'set'}</p>
    </>
  );
}

describe('the workspace policy, loaded after the first render', () => {
  it('starts with the built-in categories, then puts the school’s first, names the school, and follows policy changes', async () => {
    const managed = managedArea({
      organizationName: 'Example School',
      categories: { builtIn: [{ id: 'rumor' }], custom: [{ id: 'bullying', label: { en: 'Bullying at school', zh_CN: '校园欺凌' } }] },
    });
    render(<Probe db={freshDb()} source={managed.source} />);
    const builtIn = BUILT_IN_CATEGORIES.map((c) => c.id);
    expect(screen.getByTestId('probe').textContent).toBe(`-|${builtIn.join(',')}`);
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toMatch(/^Example School\|/), { timeout: 10_000 });
    const ids = screen.getByTestId('probe').textContent.split('|')[1]!.split(',');
    // What the policy offers first, then every built-in one it left out (older reports keep their label).
    expect(ids.slice(0, 2).sort()).toEqual(['custom:bullying', 'rumor']);
    expect(new Set(ids)).toEqual(new Set([...builtIn, 'custom:bullying']));
    managed.set({ organizationName: 'Other School' });
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe(`Other School|${builtIn.join(',')}`));
  });

  it('says when no endpoint is set, so held reports are named as kept here, not held for review', async () => {
    const db = freshDb();
    const managed = managedArea({});
    render(<Probe db={db} source={managed.source} />);
    await waitFor(() => expect(screen.getByTestId('endpoint').textContent).toBe('none'), { timeout: 10_000 });
    expect(translatorFor('en')(deliveryStateKey('held', true))).toBe('Saved here — not sent');
    expect(translatorFor('zh_CN')(deliveryStateKey('held', true))).toBe('已保存在本机，未发送');
    expect(translatorFor('en')(deliveryStateKey('held', false))).toBe('Held for review');
    expect(deliveryStateKey('sent', true)).toBe('workspace_state_sent');
    managed.set({ endpointUrl: 'https://desk.school.example/v1/reports' });
    await waitFor(() => expect(screen.getByTestId('endpoint').textContent).toBe('set'));
  });
});
