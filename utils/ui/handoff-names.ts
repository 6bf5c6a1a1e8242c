import { useEffect, useState } from 'preact/hooks';
import type { Channel } from '../schema/channel-catalogue';

/**
 * The catalogue's channels for pages that only name them (the workspace list and filter). The
 * catalogue is validated with the schema library, which must stay off the workspace's first
 * screen (tests/e2e/workspace-startup.spec.ts): it loads after the first render.
 */
export function useCatalogueChannels(): Channel[] {
  const [channels, setChannels] = useState<Channel[]>([]);
  useEffect(() => {
    void import('../handoff/catalogue').then((module) => setChannels(module.SHIPPED_CATALOGUE.channels));
  }, []);
  return channels;
}
