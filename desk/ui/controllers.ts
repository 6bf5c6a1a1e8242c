/**
 * The controller layer: the only code that calls the API. Each hook loads what one screen needs
 * and runs its actions; the components under components/ only render props and call back.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { DecisionRequest, QueuePage, ReportView, SessionInfo } from '../api/contract';
import { ApiFailure, type Api, type QueueFilters } from './api';

export type SessionState = { status: 'loading' } | { status: 'signedOut' } | { status: 'signedIn'; info: SessionInfo };

const asFailure = (error: unknown) => (error instanceof ApiFailure ? error : new ApiFailure('unexpected', 0, (error as Error).message));

export interface Loaded<T> {
  data: T | undefined;
  error: ApiFailure | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads `load()` whenever `key` changes; a late answer for an older key is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiFailure; loading: boolean }>({ key, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setState((previous) => ({ key, data: previous.key === key ? previous.data : undefined, loading: true }));
    loadRef.current().then(
      (data) => current && setState({ key, data, loading: false }),
      (error: unknown) => current && setState({ key, error: asFailure(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: state.key === key ? state.data : undefined, error: state.error, loading: state.loading, reload };
}

export interface Action {
  busy: boolean;
  error: ApiFailure | undefined;
  /** Set after a success, for a status message. */
  done: boolean;
  run: (work: () => Promise<unknown>) => Promise<boolean>;
}

/** One button's work: busy while it runs, its failure kept for the form to show. */
export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error: ApiFailure | undefined; done: boolean }>({ busy: false, error: undefined, done: false });
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setState({ busy: true, error: undefined, done: false });
    try {
      await work();
      setState({ busy: false, error: undefined, done: true });
      return true;
    } catch (error) {
      setState({ busy: false, error: asFailure(error), done: false });
      return false;
    }
  }, []);
  return { ...state, run };
}

export function useSession(api: Api) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  useEffect(() => {
    api.session().then(
      (info) => setSession({ status: 'signedIn', info }),
      () => setSession({ status: 'signedOut' }),
    );
  }, [api]);
  return {
    session,
    signIn: async (email: string, password: string) => setSession({ status: 'signedIn', info: await api.signIn(email, password) }),
    setup: async (token: string, email: string, password: string) => setSession({ status: 'signedIn', info: await api.setup(token, email, password) }),
    signOut: async () => {
      await api.signOut().catch(() => undefined);
      setSession({ status: 'signedOut' });
    },
    lost: () => setSession({ status: 'signedOut' }),
  };
}

/** The queue's filters and its cursor stack (Previous goes back one cursor): kept by the app, so going back to the queue keeps them. */
export interface QueuePosition {
  filters: QueueFilters;
  cursors: Array<string | undefined>;
}

export function useQueue(api: Api, position: QueuePosition, setPosition: (next: QueuePosition) => void) {
  const cursor = position.cursors.at(-1);
  const page = useLoad<QueuePage>(() => api.queue(position.filters, cursor), JSON.stringify([position.filters, cursor]));
  return {
    page,
    hasPrevious: position.cursors.length > 1,
    setFilters: (filters: QueueFilters) => setPosition({ filters, cursors: [undefined] }),
    next: () => page.data?.nextCursor && setPosition({ ...position, cursors: [...position.cursors, page.data.nextCursor] }),
    previous: () => setPosition({ ...position, cursors: position.cursors.slice(0, -1) }),
  };
}

export function useReport(api: Api, reportId: string) {
  const report = useLoad<ReportView>(() => api.report(reportId), reportId);
  const after = async (work: Promise<unknown>) => {
    await work;
    report.reload();
  };
  return {
    report,
    decide: (decision: DecisionRequest) => after(api.decide(reportId, decision)),
    merge: (clusterIds: string[]) => after(api.merge(clusterIds)),
    split: () => after(api.split(reportId)),
    recordHandoff: (channelId: string, caseNumber: string, note: string) => after(api.recordHandoff(reportId, channelId, caseNumber, note)),
  };
}
