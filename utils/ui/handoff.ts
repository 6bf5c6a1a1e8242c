import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FlaglineDB } from '../db';
import { offeredChannels, SHIPPED_CATALOGUE } from '../handoff/catalogue';
import { channelFields, channelsFor, mailtoDraft, reportedUrl } from '../handoff/fields';
import { handoffsOf, recordHandoff } from '../handoff/ledger';
import type { Channel } from '../schema/channel-catalogue';
import type { LedgerLine, ReportRecord } from '../schema/record';
import type { EvidenceArtifact, EvidenceSource } from '../workspace/evidence';
import { useLiveQuery } from './hooks';
import { useEffectiveState, type PolicySource } from './policy';

/**
 * The hand-off companion's state and actions (issue 16): the reports being handed off (one, or a
 * volunteer's selection stepped through in order), the channels that fit the current one, the
 * chosen channel's fields, copying, and recording `Mark as submitted`. The component
 * (components/handoff/HandoffCompanion.tsx) only renders it.
 */
export interface HandoffDeps {
  db: FlaglineDB;
  policySource: PolicySource;
  evidence: EvidenceSource;
  reportIds: readonly string[];
  /** A channel already chosen (the workspace's "hand off selected to one channel"). */
  channelId?: string;
  /** Opens the channel's page in a tab beside the companion; never touches the page itself. */
  openTab: (url: string) => Promise<void>;
  writeClipboard: (text: string) => Promise<void>;
  clock: () => number;
}

export type HandoffNotice = { kind: 'copied'; field: string } | { kind: 'copyFailed' } | { kind: 'mustMark' } | { kind: 'saved'; channel: Channel };

/** The page a channel is handed off on: its form, or (a platform route) the reported post itself. */
export const channelPage = (channel: Channel, record: ReportRecord): string | undefined =>
  channel.kind === 'platform-route' ? reportedUrl(record.report.target) : channel.kind === 'official-form' ? channel.formUrl : undefined;

export function useHandoff(deps: HandoffDeps) {
  const { db, reportIds } = deps;
  const state = useEffectiveState(db, deps.policySource);
  const records = useLiveQuery(async () => (await db.reports.bulkGet([...reportIds])).filter((r): r is ReportRecord => !!r), [db, reportIds.join(',')]);
  const [index, setIndex] = useState(0);
  const [channelId, setChannelId] = useState(deps.channelId);
  const [marked, setMarked] = useState(false);
  const [caseNumber, setCaseNumber] = useState('');
  const [notice, setNotice] = useState<HandoffNotice>();
  const [artifacts, setArtifacts] = useState<EvidenceArtifact[]>([]);

  const channels = useMemo(() => (state ? offeredChannels(SHIPPED_CATALOGUE, state.policy.values.handoff) : []), [state]);
  const record = records?.[index];
  const fitting = useMemo(() => (record ? channelsFor(channels, record.report) : []), [channels, record]);
  const channel = channels.find((c) => c.id === channelId);

  useEffect(() => {
    let live = true;
    setArtifacts([]);
    if (record) void deps.evidence.listArtifacts(record.id).then((list) => live && setArtifacts(list.filter((a) => a.mediaType.startsWith('image/'))));
    return () => {
      live = false;
    };
  }, [record?.id]);

  const choose = async (next: Channel) => {
    setChannelId(next.id);
    setNotice(undefined);
    const page = record && channelPage(next, record);
    if (page) await deps.openTab(page);
  };

  const copy = async (label: string, text: string) => {
    try {
      await deps.writeClipboard(text);
      setNotice({ kind: 'copied', field: label });
    } catch {
      setNotice({ kind: 'copyFailed' });
    }
  };

  /** Records the hand-off; with more reports to go, steps to the next one and opens its page. */
  const save = async () => {
    if (!record || !channel) return;
    if (!marked) return setNotice({ kind: 'mustMark' });
    await recordHandoff(db, record.id, channel, deps.clock(), caseNumber);
    setNotice({ kind: 'saved', channel });
    setMarked(false);
    setCaseNumber('');
  };

  const next = async () => {
    if (!records || index + 1 >= records.length) return;
    const upcoming = records[index + 1];
    setIndex(index + 1);
    setNotice(undefined);
    const page = upcoming && channel && channelPage(channel, upcoming);
    // The official form is the same for every report; a platform route opens each post.
    if (page && channel?.kind === 'platform-route') await deps.openTab(page);
  };

  const fields = record && channel ? channelFields(channel, record.report) : [];
  const mailto = record && channel ? mailtoDraft(channel, record.report) : undefined;
  const history: LedgerLine[] = record ? handoffsOf(record) : [];
  return {
    loading: !state || !records,
    record,
    position: { index, total: records?.length ?? 0 },
    channels,
    fitting,
    channel,
    fields,
    mailto,
    artifacts,
    history,
    marked,
    caseNumber,
    notice,
    choose,
    back: () => setChannelId(undefined),
    copy,
    setMarked,
    setCaseNumber,
    save,
    next,
  };
}
export type HandoffState = ReturnType<typeof useHandoff>;
