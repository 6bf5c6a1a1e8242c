import { z } from 'zod';
import { EXPLANATION_MAX } from './limits';
import { CategoryId, ReportCategory, TITLE_MAX } from './report';
import { DeliveryError, DeliveryStatus, ReportRecord } from './record';
import { GoodFaithAcceptance, UserSettings } from './settings';
import { ParsedPolicy } from './policy';
import { ERROR_CODES } from '../errors';
import { ArtifactName, PickerCapture } from './capture';

const TabId = z.number().int().nonnegative();

export const UnreportableReason = z.enum(['browser-page', 'extension-store', 'file-access', 'file-blocked', 'no-access', 'no-tab']);
export type UnreportableReason = z.infer<typeof UnreportableReason>;

/** What the popup may show about a tab: taken from the browser's tab record, never the page. */
export const TabDescription = z.discriminatedUnion('reportable', [
  z.object({ reportable: z.literal(true), tabId: TabId, url: z.string(), title: z.string().max(TITLE_MAX) }),
  z.object({ reportable: z.literal(false), tabId: TabId, reason: UnreportableReason }),
]);
export type TabDescription = z.infer<typeof TabDescription>;

export const SubmitReportRequest = z.object({
  tabId: TabId,
  category: ReportCategory,
  subReason: CategoryId.optional(),
  explanation: z.string().max(EXPLANATION_MAX),
  goodFaith: z.literal(true),
  /** A capture made by the picker or the context menu (IndexedDB `captures`). */
  captureId: z.uuid().optional(),
  /** Artifacts the user chose to leave out. */
  exclude: z.array(ArtifactName).max(3).optional(),
});
export type SubmitReportRequest = z.infer<typeof SubmitReportRequest>;

export const FlushSummary = z.object({
  attempted: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  retrying: z.number().int(),
  /** Set when nothing was sent because the channel is paused (the endpoint answered 410). */
  paused: z.boolean().optional(),
});
export type FlushSummary = z.infer<typeof FlushSummary>;

/** The outbox as the popup shows it, in the states the user sees (utils/leases.ts `countOutbox`). */
export const OutboxCounts = z.object({
  waiting: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  /** Past the age limit: no more automatic retries, shown apart (absent = 0). */
  undelivered: z.number().int().optional(),
});
export type OutboxCounts = z.infer<typeof OutboxCounts>;

/**
 * Everything the popup shows besides the tab, read by the background (the popup opens no
 * database): the settings it needs, the managed policy as the background parsed it (so the popup
 * needs no policy schema to draw its form), the standing good-faith acceptance, and the outbox.
 */
export const PopupState = z.object({
  settings: UserSettings.pick({ endpointUrl: true, reporterName: true, reporterContact: true }),
  policy: ParsedPolicy,
  goodFaith: GoodFaithAcceptance.optional(),
  outbox: z.object({
    counts: OutboxCounts,
    lastError: DeliveryError.optional(),
    /** The newest reports, newest first. */
    recent: z.array(ReportRecord),
    /** Delivery is paused (the endpoint answered 410) until the user retries or saves settings. */
    paused: z.boolean(),
    /** The report the popup just submitted, when it asked for one. */
    submitted: ReportRecord.optional(),
  }),
});
export type PopupState = z.infer<typeof PopupState>;

/** Who may send a message: our own extension pages, or a content script we injected. */
export type SenderKind = 'extension-page' | 'picker';

/**
 * The one message contract between contexts. Each entry names who may send it, and the
 * schemas of its request and response; the background has exactly one handler per entry
 * (utils/background/handlers.ts) and the listener validates both directions.
 */
export const MESSAGE_CONTRACT = {
  /** The popup asks what it may show for a tab. */
  describeTab: {
    from: 'extension-page',
    request: z.object({ tabId: TabId }),
    response: TabDescription,
  },
  /**
   * What the popup shows besides the tab (settings, policy, outbox), asked when it opens and
   * again every second while it is open: the popup opens no database of its own.
   */
  popupState: {
    from: 'extension-page',
    request: z.object({ submittedId: z.uuid().optional() }),
    response: PopupState,
  },
  /** The popup submits a report about a tab; the background reads URL and title itself. */
  submitReport: {
    from: 'extension-page',
    request: SubmitReportRequest,
    response: z.object({ id: z.uuid(), status: DeliveryStatus }),
  },
  /** Deliver what is due now; `force` also retries reports that are backing off or failed. */
  flushOutbox: {
    from: 'extension-page',
    request: z.object({ force: z.boolean().default(false) }),
    response: FlushSummary,
  },
  /**
   * A page shows these reports: ask their channels what became of them now (at most once a
   * minute per channel; ids and status tokens only).
   */
  refreshStatus: {
    from: 'extension-page',
    request: z.object({ ids: z.union([z.array(z.uuid()).max(1000), z.literal('all')]) }),
    response: z.object({ asked: z.number().int(), changed: z.number().int() }),
  },
  /** One-click retry of one report (failed, undelivered or backing off); resumes a paused channel. */
  retryReport: {
    from: 'extension-page',
    request: z.object({ id: z.uuid() }),
    response: z.object({ id: z.uuid(), status: DeliveryStatus }),
  },
  /** The popup asks to start the picker in a tab (injected only now, with activeTab). */
  startPicker: {
    from: 'extension-page',
    request: z.object({ tabId: TabId, metadataOnly: z.boolean().default(false) }),
    response: z.object({ started: z.literal(true) }),
  },
  /** The picker's one pick; sender and token are checked against the injection registry. */
  pickerCapture: {
    from: 'picker',
    request: PickerCapture,
    response: z.object({ captureId: z.uuid() }),
  },
  /** The user pressed Esc in the picker. */
  pickerCancelled: {
    from: 'picker',
    request: z.object({ token: z.uuid() }),
    response: z.object({}),
  },
} as const satisfies Record<string, { from: SenderKind; request: z.ZodType; response: z.ZodType }>;

export type MessageContract = typeof MESSAGE_CONTRACT;
export type MessageType = keyof MessageContract;
export type RequestOf<K extends MessageType> = z.input<MessageContract[K]['request']>;
export type ParsedRequestOf<K extends MessageType> = z.output<MessageContract[K]['request']>;
export type ResponseOf<K extends MessageType> = z.output<MessageContract[K]['response']>;

export const MessageEnvelope = z.object({
  type: z.enum(Object.keys(MESSAGE_CONTRACT) as [MessageType, ...MessageType[]]),
  payload: z.unknown(),
});

export const ReplyEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(ERROR_CODES), detail: z.string() }) }),
]);
export type ReplyEnvelope = z.infer<typeof ReplyEnvelope>;
