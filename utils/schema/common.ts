import { z } from 'zod';

/** ISO 8601 date-time that states its offset (`Z` or `±hh:mm`). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** An absolute URL; the scheme check is left to the caller (pages may be http, https, file…). */
export const AbsoluteUrl = z
  .string()
  .max(8192)
  .refine((value) => URL.canParse(value), 'error_url_invalid');

export const ReportId = z.uuid();
