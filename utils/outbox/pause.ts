import { z } from 'zod';
import type { FlaglineDB } from '../db';

/** keyValue row that pauses the channel after a 410 Gone, until the user saves settings or retries. */
export const PAUSE_KEY = 'delivery.paused';

export const DeliveryPause = z.object({
  endpoint: z.string(),
  at: z.number(),
  status: z.number().int(),
  detail: z.string().optional(),
});
export type DeliveryPause = z.infer<typeof DeliveryPause>;

/** The pause as stored, checked like every row read back; an unreadable row pauses nothing. */
export async function getDeliveryPause(db: FlaglineDB): Promise<DeliveryPause | undefined> {
  const stored = DeliveryPause.safeParse((await db.keyValue.get(PAUSE_KEY))?.value);
  return stored.success ? stored.data : undefined;
}
