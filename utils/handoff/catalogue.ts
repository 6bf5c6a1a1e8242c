import shipped from './catalogue.json' with { type: 'json' };
import { ChannelCatalogue, type Channel } from '../schema/channel-catalogue';
import type { PolicyHandoff } from '../schema/policy';

/**
 * The channel catalogue shipped with this build (`catalogue.json`, validated at load: a broken
 * data file fails every page and test that uses it, loudly, rather than showing half a channel).
 */
export const SHIPPED_CATALOGUE: ChannelCatalogue = ChannelCatalogue.parse(shipped);

/**
 * The channels offered: the organisation's own first (policy `handoff.channels`), then the shipped
 * ones — restricted to policy `handoff.only` when the policy sets it (in that order; an id the
 * catalogue does not know is skipped). An own channel whose id repeats a shipped one replaces it.
 */
export function offeredChannels(catalogue: ChannelCatalogue, policy: PolicyHandoff | undefined): Channel[] {
  const own = policy?.channels ?? [];
  const ownIds = new Set(own.map((channel) => channel.id));
  const shippedChannels = catalogue.channels.filter((channel) => !ownIds.has(channel.id));
  if (!policy?.only) return [...own, ...shippedChannels];
  const byId = new Map(shippedChannels.map((channel) => [channel.id, channel]));
  const restricted = policy.only.map((id) => byId.get(id)).filter((channel): channel is Channel => !!channel);
  return [...own, ...restricted];
}

/** A channel's name in a language, for lists; an id no longer offered shows as itself. */
export const channelNameIn = (channels: readonly Channel[], language: 'zh_CN' | 'en') => (id: string) =>
  channels.find((channel) => channel.id === id)?.name[language] ?? id;

/** The catalogue's key for a UI language tag (`zh-CN` → `zh_CN`). */
export const catalogueLanguage = (tag: string): 'zh_CN' | 'en' => (tag.toLowerCase().startsWith('zh') ? 'zh_CN' : 'en');
