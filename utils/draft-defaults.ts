import type { ReportDraft } from './report-form';

/**
 * A form nobody has filled in yet. Apart from the schemas (report-form.ts) so that a page can show
 * its form before it loads them (the report window: entrypoints/report/ReportApp.tsx).
 */
export const EMPTY_DRAFT: ReportDraft = { explanation: '', goodFaith: false };
