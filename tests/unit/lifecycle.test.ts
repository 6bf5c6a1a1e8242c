import { describe, expect, it } from 'vitest';
import { DeliveryStatus } from '@/utils/schema/record';
import { TRANSITIONS, TransitionError, canMove, moveTo } from '@/utils/reports/lifecycle';

describe('report lifecycle', () => {
  it('allows exactly these status changes', () => {
    const allowed = DeliveryStatus.options.flatMap((from) => DeliveryStatus.options.filter((to) => canMove(from, to)).map((to) => `${from} → ${to}`));
    expect(allowed).toEqual([
      'waiting → waiting',
      'waiting → sent',
      'waiting → failed',
      'waiting → undelivered',
      'sending → waiting',
      'failed → waiting',
      'undelivered → waiting',
      'held → waiting',
    ]);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...DeliveryStatus.options].sort());
  });

  it('refuses any other change, leaving the record as it was', () => {
    const record = { status: 'sent' as const, updatedAt: 1 };
    expect(() => moveTo(record, 'waiting', 2)).toThrow(TransitionError);
    expect(record).toEqual({ status: 'sent', updatedAt: 1 });
  });
});
