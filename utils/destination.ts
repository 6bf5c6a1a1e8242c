import { z } from 'zod';
import type { FlaglineDB } from './db';
import type { ParsedPolicy } from './policy';
import type { UserSettings } from './schema/settings';

/**
 * Where reports go (issue 16). Three destinations, chosen on the first-run page ("Where should
 * your reports go?") and changeable in settings:
 * - `organisation`: a school's or organisation's setup file or link (provisioning) set the endpoint;
 * - `official`: no endpoint; reports are saved here and handed off to official channels (default);
 * - `endpoint`: an endpoint the user typed in settings.
 * A managed policy decides for the user: the page is skipped.
 */
export const DestinationChoice = z.enum(['organisation', 'official', 'endpoint']);
export type DestinationChoice = z.infer<typeof DestinationChoice>;

const CHOICE_KEY = 'destination.choice';

/** An endpoint is set (by the user, the build or the policy). Empty means none. */
export const hasEndpoint = (settings: Pick<UserSettings, 'endpointUrl'>) => settings.endpointUrl.trim() !== '';

/**
 * New reports stay here instead of entering the outbox: held for review, or — with no endpoint —
 * saved and not sent to any channel (nothing queued, retried or counted on the badge).
 */
export const keepsHere = (settings: Pick<UserSettings, 'endpointUrl' | 'reviewBeforeSend'>) => settings.reviewBeforeSend || !hasEndpoint(settings);

export async function loadDestinationChoice(db: FlaglineDB): Promise<DestinationChoice | undefined> {
  const parsed = DestinationChoice.safeParse((await db.keyValue.get(CHOICE_KEY))?.value);
  return parsed.success ? parsed.data : undefined;
}

export async function saveDestinationChoice(db: FlaglineDB, choice: DestinationChoice): Promise<void> {
  await db.keyValue.put({ key: CHOICE_KEY, value: choice });
}

/** A policy that sets where reports go (or names the organisation) has decided for the user. */
export const policyDecides = (policy: ParsedPolicy) => policy.values.endpointUrl !== undefined || policy.values.organizationName !== undefined;

/**
 * The choice as the settings page shows it: the stored one, else what the settings say (an
 * endpoint built in or typed means `endpoint`; none means `official`).
 */
export const effectiveChoice = (stored: DestinationChoice | undefined, settings: Pick<UserSettings, 'endpointUrl'>): DestinationChoice =>
  stored ?? (hasEndpoint(settings) ? 'endpoint' : 'official');

/**
 * Whether installing opens the first-run page: only a fresh install with no endpoint from the build
 * (`npm start` and the test builds have one) and no policy deciding, and no choice made before.
 */
export function opensFirstRun(input: { reason: string; buildEndpoint: string; policy: ParsedPolicy; stored: DestinationChoice | undefined }): boolean {
  return input.reason === 'install' && input.buildEndpoint === '' && !policyDecides(input.policy) && input.stored === undefined;
}
