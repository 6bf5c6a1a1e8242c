import { liveQuery, type Subscription } from 'dexie';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CategoryDef } from '../categories';
import type { FlaglineDB } from '../db';
import type { EffectiveState } from '../settings';
import type { PolicySource } from './policy';

type PolicyModule = typeof import('../policy');

export interface WorkspacePolicy {
  /** What the policy offers first (the school's own categories included), then every built-in one it left out. */
  categories: readonly CategoryDef[];
  organizationName?: string;
  /** No endpoint is set: held reports are kept here, not held for review. */
  noEndpoint?: boolean;
}

/**
 * The managed policy as the workspace needs it — live, like `useEffectiveState` (utils/ui/policy.ts)
 * — but with the settings and policy code, and the schema library under them, loaded after the
 * page's first render instead of before it (`workspace.render10kMs`). Until then, and without a
 * policy, the built-in categories.
 */
export function useWorkspacePolicy(db: FlaglineDB, source: PolicySource, builtIn: readonly CategoryDef[], lang: string): WorkspacePolicy {
  const [loaded, setLoaded] = useState<{ state: EffectiveState; policy: PolicyModule }>();
  useEffect(() => {
    let live = true;
    let stop = () => undefined as void;
    const load = () =>
      Promise.all([import('../settings'), import('../policy')]).then(([settings, policy]) => {
        if (!live) return;
        let subscription: Subscription | undefined;
        // Re-read when the user's settings change (live query) and when the managed policy does.
        const watch = () => {
          subscription?.unsubscribe();
          subscription = liveQuery(() => settings.loadEffectiveState(db, source.read)).subscribe({
            next: (state) => setLoaded({ state, policy }),
            error: (error) => console.error(error),
          });
        };
        watch();
        const off = policy.onPolicyChanged(source.changes, watch);
        stop = () => {
          off();
          subscription?.unsubscribe();
        };
      });
    // In a task of its own, after the first render's effects (`flagline:workspace-ready` among
    // them): the first rows do not need the policy code, and starting its import (a preload link
    // per chunk it needs) took 3–14 ms of that effect pass on the loaded bench machine.
    const timer = setTimeout(() => void load());
    return () => {
      live = false;
      clearTimeout(timer);
      stop();
    };
  }, [db, source]);
  return useMemo(() => {
    if (!loaded) return { categories: builtIn };
    const { state, policy } = loaded;
    const offered = policy.submitContext(state, policy.labelLanguage(lang)).categories;
    return {
      categories: [...offered, ...builtIn.filter((c) => !offered.some((o) => o.id === c.id))],
      ...(state.view.organizationName ? { organizationName: state.view.organizationName } : {}),
      ...(state.settings.endpointUrl ? {} : { noEndpoint: true }),
    };
  }, [loaded, builtIn, lang]);
}
