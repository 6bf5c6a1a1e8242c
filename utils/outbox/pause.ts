import type { FlaglineDB } from '../db';

/** keyValue row that pauses the channel after a 410 Gone, until the user saves settings or retries. */
export const PAUSE_KEY = 'delivery.paused';

export interface DeliveryPause {
  endpoint: string;
  at: number;
  status: number;
  detail?: string;
}

export async function getDeliveryPause(db: FlaglineDB): Promise<DeliveryPause | undefined> {
  return (await db.keyValue.get(PAUSE_KEY))?.value as DeliveryPause | undefined;
}
