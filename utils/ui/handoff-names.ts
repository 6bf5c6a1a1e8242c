import { useEffect, useState } from 'preact/hooks';
import type { Channel } from '../schema/channel-catalogue';
import type { PolicySource } from './policy';

/**
 * Every channel a page may have to name (the workspace list and filter): the organisation's own
 * (policy `handoff.channels`) and the shipped catalogue — also those a policy no longer offers, so
 * an old hand-off still shows its channel. The catalogue and the policy are validated with the
 * schema library, which must stay off the workspace's first screen
 * (tests/e2e/workspace-startup.spec.ts): both load after the first render.
 */
export function useKnownChannels(policySource: PolicySource): Channel[] {
  const [channels, setChannels] = useState<Channel[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all([import('../handoff/catalogue'), import('../policy'), policySource.read()]).then(([catalogue, policy, raw]) => {
      if (live) setChannels([...(policy.parsePolicy(raw).values.handoff?.channels ?? []), ...catalogue.SHIPPED_CATALOGUE.channels]);
    });
    return () => {
      live = false;
    };
  }, [policySource]);
  return channels;
}
