import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '@/utils/time';

describe('isoWithOffset', () => {
  const instant = Date.UTC(2026, 10, 24, 10, 5, 9, 120);

  it('writes local time with the offset east of UTC', () => {
    expect(isoWithOffset(instant, 8 * 60)).toBe('2026-11-24T18:05:09.120+08:00');
  });

  it('writes negative and half-hour offsets', () => {
    expect(isoWithOffset(instant, -(5 * 60 + 30))).toBe('2026-11-24T04:35:09.120-05:30');
    expect(isoWithOffset(instant, 0)).toBe('2026-11-24T10:05:09.120+00:00');
  });

  it('is the same instant as the input', () => {
    expect(Date.parse(isoWithOffset(instant, 8 * 60))).toBe(instant);
    expect(Date.parse(isoWithOffset(instant))).toBe(instant);
  });
});
