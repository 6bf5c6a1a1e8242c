/**
 * The Desk's web interface: picks the language, holds the session and the queue's position,
 * and maps each address to a screen. Screens here are containers (controller hook + component);
 * everything they render is in components/.
 */
import { useEffect, useMemo, useRef, useState, type MutableRef } from 'preact/hooks';
import { BUILT_IN_CATEGORIES } from '../../utils/categories';
import type { ChannelSecret, NotifierTestResult, Role, SessionInfo } from '../api/contract';
import type { z } from 'zod';
import { createApi, exportHref, packetHref, type Api } from './api';
import { ErrorText, Loading, ScreenHeading } from './components/common';
import { Audit } from './components/Audit';
import { Channels } from './components/Channels';
import { ClusterPanel, type OtherCluster } from './components/Cluster';
import { DecisionForm } from './components/Decision';
import { HandoffPanel } from './components/Handoff';
import { Layout } from './components/Layout';
import { Notifiers } from './components/Notifiers';
import { Queue } from './components/Queue';
import { ReportDetails } from './components/ReportDetails';
import { Setup } from './components/Setup';
import { SignIn } from './components/SignIn';
import { Users } from './components/Users';
import { useAction, useLoad, useQueue, useReport, useSession, type QueuePosition } from './controllers';
import { handoffChannelName, handoffOptions } from './handoff';
import { LOCALE_STORAGE_KEY, MessagesContext, messagesFor, pickLocale, useMessages, type Locale } from './i18n';
import { hrefFor, isAdminRoute, linkClick, useRoute, type Navigate, type Route } from './router';

export interface AppProps {
  /** Injected so tests run the app against a fake server; the page passes the real `fetch`. */
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  languages?: readonly string[];
}

const CATEGORY_IDS = BUILT_IN_CATEGORIES.map((category) => category.id);

export function App({ fetch: fetchImpl, storage = localStorage, languages = navigator.languages }: AppProps) {
  const [locale, setLocale] = useState<Locale>(() => pickLocale(storage.getItem(LOCALE_STORAGE_KEY), languages));
  const messages = useMemo(() => messagesFor(locale), [locale]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const changeLocale = (next: Locale) => {
    storage.setItem(LOCALE_STORAGE_KEY, next);
    setLocale(next);
  };

  const [lostSession, setLostSession] = useState(0);
  const api = useMemo(() => createApi(fetchImpl, { onSessionLost: () => setLostSession((n) => n + 1) }), [fetchImpl]);
  const { session, signIn, setup, signOut, lost } = useSession(api);
  useEffect(() => {
    if (lostSession > 0) lost();
  }, [lostSession]);
  const { route, navigate } = useRoute();
  const onLink = useMemo(() => linkClick(navigate), [navigate]);
  const [position, setPosition] = useState<QueuePosition>({ filters: {}, cursors: [undefined] });
  // The clusters on the queue page last shown: what a report's cluster can be merged with. A ref
  // written while the queue renders, so a click that leaves the queue at once still sees them.
  const queueClusters = useRef<OtherCluster[]>([]);
  const signInAction = useAction();

  const user = session.status === 'signedIn' ? session.info.user : undefined;
  let screen;
  if (route.name === 'setup') {
    screen = <SetupScreen api={api} onSetup={setup} onDone={() => navigate('/')} onLink={onLink} />;
  } else if (session.status === 'loading') {
    screen = (
      <main id="main">
        <Loading />
      </main>
    );
  } else if (session.status === 'signedOut') {
    screen = <SignIn action={signInAction} onSignIn={(email, password) => void signInAction.run(() => signIn(email, password))} />;
  } else {
    screen = (
      <SignedIn
        api={api}
        route={route}
        session={session.info}
        navigate={navigate}
        onLink={onLink}
        position={position}
        setPosition={setPosition}
        queueClusters={queueClusters}
      />
    );
  }
  return (
    <MessagesContext.Provider value={messages}>
      <Layout user={user} route={route} onLocale={changeLocale} onSignOut={() => void signOut().then(() => navigate('/'))} onLink={onLink}>
        {screen}
      </Layout>
    </MessagesContext.Provider>
  );
}

interface SignedInProps {
  api: Api;
  route: Route;
  session: SessionInfo;
  navigate: Navigate;
  onLink: (event: MouseEvent) => void;
  position: QueuePosition;
  setPosition: (position: QueuePosition) => void;
  queueClusters: MutableRef<OtherCluster[]>;
}

function SignedIn(props: SignedInProps) {
  const { route, session, api, onLink } = props;
  if (isAdminRoute(route) && session.user.role !== 'admin') return <Message title="forbidden_title" body="forbidden_body" />;
  switch (route.name) {
    case 'queue':
      return <QueueScreen {...props} />;
    case 'report':
      return <ReportScreen key={route.id} {...props} reportId={route.id} />;
    case 'users':
      return <UsersScreen api={api} />;
    case 'channels':
      return <ChannelsScreen api={api} />;
    case 'notifications':
      return <NotifiersScreen api={api} />;
    case 'audit':
      return <AuditScreen api={api} />;
    default:
      return <Message title="notFound_title" body="notFound_body" link={{ href: '/', onLink }} />;
  }
}

function Message({
  title,
  body,
  link,
}: {
  title: 'forbidden_title' | 'notFound_title';
  body: 'forbidden_body' | 'notFound_body';
  link?: { href: string; onLink: (event: MouseEvent) => void };
}) {
  const { t } = useMessages();
  return (
    <main id="main" class="narrow">
      <ScreenHeading title={t(title)}>{t(title)}</ScreenHeading>
      <p>{t(body)}</p>
      {link && (
        <a href={link.href} onClick={link.onLink}>
          {t('report_back')}
        </a>
      )}
    </main>
  );
}

function SetupScreen({
  api,
  onSetup,
  onDone,
  onLink,
}: {
  api: Api;
  onSetup: (token: string, email: string, password: string) => Promise<void>;
  onDone: () => void;
  onLink: (event: MouseEvent) => void;
}) {
  const state = useLoad(() => api.setupState(), 'setup');
  const action = useAction();
  const token = location.hash.replace(/^#/, '');
  return (
    <Setup
      token={token}
      needed={state.data?.needed}
      action={action}
      signInHref="/"
      onLink={onLink}
      onSetup={(email, password) =>
        void action
          .run(() => onSetup(token, email, password))
          .then((ok) => {
            if (ok) {
              // The token is spent: keep it out of the history.
              history.replaceState(null, '', '/');
              onDone();
            }
          })
      }
    />
  );
}

function QueueScreen({ api, position, setPosition, onLink, queueClusters }: SignedInProps) {
  const queue = useQueue(api, position, setPosition);
  const channels = useLoad(() => api.channels(), 'channels');
  const rows = queue.page.data?.rows;
  if (rows) {
    const clusters = new Map<string, OtherCluster>();
    for (const row of rows)
      if (!clusters.has(row.clusterId)) clusters.set(row.clusterId, { clusterId: row.clusterId, title: row.title, size: row.clusterSize });
    queueClusters.current = [...clusters.values()];
  }
  return (
    <Queue
      filters={position.filters}
      categories={CATEGORY_IDS}
      channels={channels.data?.channels ?? []}
      page={queue.page.data}
      loading={queue.page.loading}
      error={queue.page.error}
      hasPrevious={queue.hasPrevious}
      onFilters={queue.setFilters}
      onNext={queue.next}
      onPrevious={queue.previous}
      reportHref={(id) => hrefFor({ name: 'report', id })}
      exportHref={(format) => exportHref(format, position.filters)}
      onLink={onLink}
    />
  );
}

function ReportScreen({ api, session, reportId, onLink, queueClusters }: SignedInProps & { reportId: string }) {
  const messages = useMessages();
  const { t } = messages;
  const controller = useReport(api, reportId);
  const decision = useAction();
  const cluster = useAction();
  const handoff = useAction();
  const assignable = useLoad(() => api.assignees(), 'assignees');
  const view = controller.report.data;
  const title = view?.report.target.title || t('report_details');
  if (!view) {
    return (
      <main id="main">
        <ScreenHeading title={t('report_details')}>{t('report_details')}</ScreenHeading>
        {controller.report.error ? <ErrorText failure={controller.report.error} /> : <Loading />}
        <a href="/" onClick={onLink}>
          {t('report_back')}
        </a>
      </main>
    );
  }
  // The enabled users (GET /api/assignees); until they load, at least the reviewer themself.
  const assignees = assignable.data?.users ?? [{ id: session.user.id, email: session.user.email }];
  return (
    <main id="main" class="report">
      <p>
        <a href="/" onClick={onLink}>
          {t('report_back')}
        </a>
      </p>
      <ScreenHeading title={title}>{title}</ScreenHeading>
      <div class="columns">
        <div>
          <ReportDetails view={view} blurImages={BUILT_IN_CATEGORIES.find((c) => c.id === view.report.category)?.blurPreviews ?? false} />
        </div>
        <div>
          <DecisionForm
            decision={view.decision}
            assignees={assignees}
            action={decision}
            onSave={(request) => void decision.run(() => controller.decide(request))}
          />
          <ClusterPanel
            view={view}
            others={queueClusters.current.filter((other) => other.clusterId !== view.cluster.id)}
            action={cluster}
            onMerge={(ids) => void cluster.run(() => controller.merge(ids))}
            onSplit={() => void cluster.run(() => controller.split())}
            reportHref={(id) => hrefFor({ name: 'report', id })}
            onLink={onLink}
          />
          <HandoffPanel
            options={handoffOptions(view, messages.locale)}
            handoffs={view.handoffs}
            channelName={(id) => handoffChannelName(id, messages.locale)}
            packetHref={(channelId) => packetHref(view.id, channelId)}
            action={handoff}
            onCopy={(text) => navigator.clipboard.writeText(text)}
            onRecord={(channelId, caseNumber, note) => handoff.run(() => controller.recordHandoff(channelId, caseNumber, note))}
          />
        </div>
      </div>
    </main>
  );
}

function UsersScreen({ api }: { api: Api }) {
  const users = useLoad(() => api.users(), 'users');
  const channels = useLoad(() => api.channels(), 'channels');
  const action = useAction();
  const after = (work: () => Promise<unknown>) =>
    action.run(async () => {
      await work();
      users.reload();
    });
  if (!users.data) return <LoadingScreen title="users_title" error={users.error} />;
  return (
    <Users
      users={users.data.users}
      channels={channels.data?.channels ?? []}
      action={action}
      onCreate={(email, role: Role, password) => after(() => api.createUser({ email, role, password }))}
      onUpdate={(id, change) => void after(() => api.updateUser(id, change))}
    />
  );
}

function ChannelsScreen({ api }: { api: Api }) {
  const channels = useLoad(() => api.channels(), 'channels');
  const [secret, setSecret] = useState<z.infer<typeof ChannelSecret>>();
  const provisioningHref = useMemo(
    () => (secret ? URL.createObjectURL(new Blob([JSON.stringify(secret.provisioning, null, 2)], { type: 'application/json' })) : undefined),
    [secret],
  );
  useEffect(() => () => provisioningHref && URL.revokeObjectURL(provisioningHref), [provisioningHref]);
  const action = useAction();
  const showing = <T,>(work: () => Promise<T>, show?: (answer: T) => void) =>
    action.run(async () => {
      const answer = await work();
      show?.(answer);
      channels.reload();
    });
  const { t } = useMessages();
  if (!channels.data) return <LoadingScreen title="channels_title" error={channels.error} />;
  return (
    <Channels
      channels={channels.data.channels}
      secret={secret}
      provisioningHref={provisioningHref}
      action={action}
      onCreate={(name, signing) => showing(() => api.createChannel({ name, signing }), setSecret)}
      onRotate={(channel) => void showing(() => api.rotateChannel(channel.id), setSecret)}
      onRevoke={(channel) => {
        if (confirm(t('channel_confirmRevoke', channel.name))) void showing(() => api.revokeChannel(channel.id));
      }}
    />
  );
}

function NotifiersScreen({ api }: { api: Api }) {
  const notifiers = useLoad(() => api.notifiers(), 'notifiers');
  const action = useAction();
  const [tested, setTested] = useState<NotifierTestResult | undefined>();
  const change = (work: () => Promise<unknown>) => {
    setTested(undefined);
    return action.run(async () => {
      await work();
      notifiers.reload();
    });
  };
  if (!notifiers.data) return <LoadingScreen title="notifiers_title" error={notifiers.error} />;
  return (
    <Notifiers
      notifiers={notifiers.data.notifiers}
      action={action}
      tested={tested}
      onCreate={(draft) => change(() => api.createNotifier(draft))}
      onDelete={(id) => void change(() => api.deleteNotifier(id))}
      onTest={(id) => void change(async () => setTested(await api.testNotifier(id)))}
    />
  );
}

function AuditScreen({ api }: { api: Api }) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors.at(-1);
  const page = useLoad(() => api.audit(cursor), `audit-${cursor ?? ''}`);
  if (!page.data) return <LoadingScreen title="audit_title" error={page.error} />;
  const next = page.data.nextCursor;
  return (
    <Audit
      entries={page.data.entries}
      hasPrevious={cursors.length > 1}
      hasNext={Boolean(next)}
      onNext={() => next && setCursors([...cursors, next])}
      onPrevious={() => setCursors(cursors.slice(0, -1))}
    />
  );
}

function LoadingScreen({
  title,
  error,
}: {
  title: 'users_title' | 'channels_title' | 'notifiers_title' | 'audit_title';
  error: Parameters<typeof ErrorText>[0]['failure'];
}) {
  const { t } = useMessages();
  return (
    <main id="main">
      <ScreenHeading title={t(title)}>{t(title)}</ScreenHeading>
      {error ? <ErrorText failure={error} /> : <Loading />}
    </main>
  );
}
