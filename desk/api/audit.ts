/** `GET /api/audit` (admins): the audit log, newest first. */
import type { AuditPage } from './contract';
import { ApiFailure, adminRoute } from './http';
import { auditPage } from '../store/audit';

const PAGE = 100;

export const auditRoutes = [
  adminRoute('GET', /^\/api\/audit$/, async (context, request): Promise<AuditPage> => {
    const cursor = request.query.get('cursor');
    const before = cursor ? Number(cursor) : undefined;
    if (before !== undefined && !Number.isSafeInteger(before)) throw new ApiFailure(400, 'bad_request', 'the cursor is not one this Desk gave');
    const page = await auditPage(context.db, before, PAGE);
    return { entries: page.entries, nextCursor: page.next === null ? null : String(page.next) };
  }),
];
