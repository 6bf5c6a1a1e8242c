/**
 * Limits a form shows before any schema is loaded (the report window renders its form first:
 * entrypoints/report/ReportApp.tsx); the schemas (report.ts) enforce them.
 */
export const EXPLANATION_MAX = 5000;
