/**
 * The official channels a report can be forwarded to, from the shared channel catalogue the
 * extension uses, with the text of each field ready to copy.
 */
export interface HandoffOption {
  id: string;
  name: string;
  formUrl?: string;
  fields: Array<{ label: string; value: string }>;
  email?: { to: string; subject: string; body: string };
}

import type { ReportView } from '../api/contract';
import type { Locale } from './i18n';

// Wired to the shared catalogue (utils/schema/channel-catalogue.ts) once branch `handoff` lands.
export function handoffOptions(_view: ReportView, _locale: Locale): HandoffOption[] {
  return [];
}

export function handoffChannelName(channelId: string, _locale: Locale): string {
  return channelId;
}
