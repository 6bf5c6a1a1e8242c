/** The reviewers' API: every route under /api, in one table (desk/api/http.ts runs it). */
import { auditRoutes } from './audit';
import { channelRoutes } from './channels';
import { clusterRoutes } from './clusters';
import { exportRoutes } from './export';
import { handoffRoutes } from './handoffs';
import type { Route } from './http';
import { notifierRoutes } from './notifiers';
import { queueRoutes } from './queue';
import { reportRoutes } from './reports';
import { sessionRoutes } from './session';
import { userRoutes } from './users';

export const API_ROUTES: readonly Route[] = [
  ...sessionRoutes,
  ...queueRoutes,
  ...reportRoutes,
  ...clusterRoutes,
  ...handoffRoutes,
  ...channelRoutes,
  ...notifierRoutes,
  ...userRoutes,
  ...auditRoutes,
  ...exportRoutes,
];
