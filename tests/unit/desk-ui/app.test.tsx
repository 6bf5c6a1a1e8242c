// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../desk/ui/app';
import { fakeDesk, OTHER_ID, queueRow, REPORT_ID, reportView } from './fake-desk';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), values };
}

function renderApp(desk: ReturnType<typeof fakeDesk>, options: { path?: string; languages?: string[]; storage?: ReturnType<typeof memoryStorage> } = {}) {
  history.replaceState(null, '', options.path ?? '/');
  const storage = options.storage ?? memoryStorage();
  render(<App fetch={desk.fetch} storage={storage} languages={options.languages ?? ['en-US']} />);
  return storage;
}

beforeEach(() => history.replaceState(null, '', '/'));
afterEach(cleanup);

describe('sign in', () => {
  it('signs in with Email, Password and Sign in, then shows the queue', async () => {
    const desk = fakeDesk({ signedIn: false });
    renderApp(desk);
    fireEvent.input(await screen.findByRole('textbox', { name: 'Email' }), { target: { value: 'li@school.example' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('searchbox', { name: 'Search' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Post 01' })).toBeTruthy();
    expect(desk.requests.find((r) => r.method === 'POST' && r.path === '/api/session')?.body).toEqual({
      email: 'li@school.example',
      password: 'correct horse battery',
    });
  });

  it('says a wrong password and a slowed-down sign-in in words, in both languages', async () => {
    const desk = fakeDesk({ signedIn: false });
    renderApp(desk);
    fireEvent.input(await screen.findByRole('textbox', { name: 'Email' }), { target: { value: 'li@school.example' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password, or the account is disabled.');
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'slow' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Too many attempts: slowed down. Try again in 30 seconds.'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), { target: { value: 'zh-CN' } });
    expect(await screen.findByRole('button', { name: '登录' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('尝试次数过多，已放慢。请在 30 秒后重试。'));
  });
});

describe('setup', () => {
  it('creates the first admin with the one-time token from the link, then drops the token from the address', async () => {
    const desk = fakeDesk({
      signedIn: false,
      routes: {
        'GET /api/setup': () => ({ status: 200, body: { needed: true } }),
        'POST /api/setup': () => ({ status: 200, body: { user: { id: 'a1', email: 'head@school.example', role: 'admin' }, csrfToken: 'csrf-setup' } }),
      },
    });
    renderApp(desk, { path: '/setup#one-time-token-0123456789' });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Email' }), { target: { value: 'head@school.example' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'a long password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create admin account' }));
    expect(await screen.findByRole('searchbox', { name: 'Search' })).toBeTruthy();
    expect(desk.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: '/api/setup',
      body: { token: 'one-time-token-0123456789', email: 'head@school.example', password: 'a long password' },
    });
    expect(location.pathname + location.hash).toBe('/');
    expect(screen.getByRole('link', { name: 'Users' })).toBeTruthy();
  });
});

describe('queue', () => {
  it('lists rows newest first with their facts and pages with the server cursor', async () => {
    const pages: Record<string, unknown> = {
      '': { rows: [queueRow(REPORT_ID, { clusterSize: 3, state: 'in_review' })], nextCursor: 'c2' },
      c2: { rows: [queueRow(OTHER_ID)], nextCursor: null },
    };
    const desk = fakeDesk({
      routes: { 'GET /api/reports': ({ path }) => ({ status: 200, body: pages[new URL(path, 'http://x').searchParams.get('cursor') ?? ''] }) },
    });
    renderApp(desk);
    const link = await screen.findByRole('link', { name: 'Post 01' });
    expect(link.getAttribute('href')).toBe(`/reports/${REPORT_ID}`);
    const row = link.closest('tr')!;
    expect(within(row).getByText('Rumor')).toBeTruthy();
    expect(within(row).getByText('实验中学')).toBeTruthy();
    expect(within(row).getByText('In review')).toBeTruthy();
    expect(within(row).getByText('3')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Previous' }).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'Post 02' })).toBeTruthy();
    expect(desk.requests.at(-1)?.path).toBe('/api/reports?cursor=c2');
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByRole('link', { name: 'Post 01' })).toBeTruthy();
  });

  it('sends the filters and the search as query parameters', async () => {
    const desk = fakeDesk();
    renderApp(desk);
    fireEvent.input(await screen.findByRole('searchbox', { name: 'Search' }), { target: { value: '谣言 疫苗' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'State' }), { target: { value: 'closed' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Category' }), { target: { value: 'minors' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Assignee' }), { target: { value: 'me' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => {
      const query = new URL(desk.requests.at(-1)!.path, 'http://x').searchParams;
      expect(Object.fromEntries(query)).toEqual({ q: '谣言 疫苗', state: 'closed', category: 'minors', assignee: 'me' });
    });
  });
});

describe('report view', () => {
  it('renders captured text as inert text and links only http(s) addresses', async () => {
    const hostile = '<script>window.pwned = 1</script><a href="javascript:alert(1)">click</a>';
    const desk = fakeDesk({ routes: { 'GET /api/reports/:id': () => ({ status: 200, body: reportView({ text: hostile, url: 'javascript:alert(2)' }) }) } });
    renderApp(desk, { path: `/reports/${REPORT_ID}` });
    const captured = await screen.findByTestId('captured-text');
    expect(captured.textContent).toBe(hostile);
    expect(captured.children).toHaveLength(0);
    expect(document.querySelector('script')).toBeNull();
    expect(document.querySelector('a[href^="javascript:"]')).toBeNull();
    expect(screen.getByText('javascript:alert(2)').tagName).toBe('SPAN');
    const more = screen.getByRole('link', { name: 'https://example.com/more' });
    expect(more.getAttribute('rel')).toBe('noopener noreferrer');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('shows hashes as verified or not, and the reporter only when given', async () => {
    const desk = fakeDesk({ routes: { 'GET /api/reports/:id': () => ({ status: 200, body: reportView({ verified: false }) }) } });
    renderApp(desk, { path: `/reports/${REPORT_ID}` });
    expect(await screen.findByText(/Hash not verified/)).toBeTruthy();
    expect(screen.getByText('The reporter did not give their identity.')).toBeTruthy();
    cleanup();
    const withReporter = fakeDesk({ routes: { 'GET /api/reports/:id': () => ({ status: 200, body: reportView({ reporter: true }) }) } });
    renderApp(withReporter, { path: `/reports/${REPORT_ID}` });
    expect(await screen.findByText(/Hash verified/)).toBeTruthy();
    expect(screen.getByText('wang@example.edu')).toBeTruthy();
  });

  it('blurs images harmful to minors until Reveal', async () => {
    const desk = fakeDesk({
      routes: { 'GET /api/reports/:id': () => ({ status: 200, body: reportView({ category: 'minors', subReason: 'violence_gore' }) }) },
    });
    renderApp(desk, { path: `/reports/${REPORT_ID}` });
    const image = await screen.findByRole('img', { name: 'Screenshot element.png' });
    expect(image.classList.contains('blurred')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    expect(image.classList.contains('blurred')).toBe(false);
  });

  it('shows referral guidance and no pixels for the child-exploitation sub-reason', async () => {
    const desk = fakeDesk({
      routes: { 'GET /api/reports/:id': () => ({ status: 200, body: reportView({ category: 'minors', subReason: 'child_exploitation' }) }) },
    });
    renderApp(desk, { path: `/reports/${REPORT_ID}`, languages: ['zh-CN'] });
    expect(await screen.findByRole('heading', { name: '可能涉及儿童性剥削：请移交' })).toBeTruthy();
    const guidance = screen.getByRole('heading', { name: '可能涉及儿童性剥削：请移交' }).closest('section')!;
    expect(guidance.textContent).toContain('110');
    expect(guidance.textContent).toContain('12377');
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('closes with an outcome and notes: Outcome appears only for Closed, Save posts with the CSRF token', async () => {
    const desk = fakeDesk();
    renderApp(desk, { path: `/reports/${REPORT_ID}` });
    const status = await screen.findByRole('combobox', { name: 'Status' });
    expect([...(status as HTMLSelectElement).options].map((o) => o.text)).toEqual(['New', 'In review', 'Forwarded', 'Closed']);
    expect(screen.queryByRole('combobox', { name: 'Outcome' })).toBeNull();
    fireEvent.change(status, { target: { value: 'closed' } });
    const outcome = await screen.findByRole('combobox', { name: 'Outcome' });
    expect([...(outcome as HTMLSelectElement).options].map((o) => o.text)).toEqual(['Removed', 'No violation', 'Referred to authorities', 'Duplicate']);
    fireEvent.change(outcome, { target: { value: 'no_violation' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Public note' }), { target: { value: 'Checked: a joke account, no violation.' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Internal note' }), { target: { value: 'satire' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Assign to' }), { target: { value: 'u1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(desk.requests.some((r) => r.method === 'POST')).toBe(true));
    const post = desk.requests.find((r) => r.method === 'POST')!;
    expect(post).toMatchObject({
      path: `/api/reports/${REPORT_ID}/decision`,
      csrf: 'csrf-123',
      body: { state: 'closed', outcome: 'no_violation', publicNote: 'Checked: a joke account, no violation.', internalNote: 'satire', assigneeId: 'u1' },
    });
    expect(await screen.findByRole('status')).toBeTruthy();
  });

  it('lists the cluster and splits the report off', async () => {
    const desk = fakeDesk({ routes: { 'POST /api/reports/:id/split': () => ({ status: 200, body: { clusterId: 'new' } }) } });
    renderApp(desk, { path: `/reports/${REPORT_ID}` });
    expect(await screen.findByRole('heading', { name: 'Reports in this cluster: 2' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Post 02' }).getAttribute('href')).toBe(`/reports/${OTHER_ID}`);
    fireEvent.click(screen.getByRole('button', { name: 'Split this report off' }));
    await waitFor(() => expect(desk.requests.some((r) => r.method === 'POST' && r.path === `/api/reports/${REPORT_ID}/split`)).toBe(true));
  });
});

describe('clusters', () => {
  it('merges other clusters from the queue page into the report’s cluster', async () => {
    const third = '0b0f6c1e-9a57-4d8a-9d7e-3f1f1f0c0a03';
    const desk = fakeDesk({
      routes: {
        'GET /api/reports': () => ({ status: 200, body: { rows: [queueRow(REPORT_ID), queueRow(third, { title: 'Copy of the rumour' })], nextCursor: null } }),
        'POST /api/clusters/merge': () => ({ status: 200, body: { clusterId: 'cl-01' } }),
      },
    });
    renderApp(desk);
    fireEvent.click(await screen.findByRole('link', { name: 'Post 01' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Copy of the rumour (reports: 1)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Merge selected' }));
    await waitFor(() =>
      expect(desk.requests.find((r) => r.method === 'POST')).toMatchObject({
        path: '/api/clusters/merge',
        csrf: 'csrf-123',
        body: { clusterIds: ['cl-01', 'cl-03'] },
      }),
    );
    expect(await screen.findByText('Done.')).toBeTruthy();
  });
});

describe('hand-off', () => {
  it('offers the catalogue channels for the category, fields to copy and the packet, and records the case number', async () => {
    const desk = fakeDesk({
      routes: {
        'POST /api/reports/:id/handoffs': ({ body }) => ({
          status: 200,
          body: {
            id: 'h1',
            channelId: (body as { channelId: string }).channelId,
            at: '2026-12-06T01:00:00Z',
            by: { id: 'u1', email: 'li@school.example' },
            caseNumber: 'JB-2026-0042',
            note: null,
          },
        }),
      },
    });
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text: string) => void copied.push(text) }, configurable: true });
    renderApp(desk, { path: `/reports/${REPORT_ID}` });
    const forward = await screen.findByRole<HTMLSelectElement>('combobox', { name: 'Forward to…' });
    const offered = [...forward.options].map((option) => option.value);
    expect(offered).toContain('cac-12377-web');
    fireEvent.change(forward, { target: { value: 'cac-12377-web' } });
    const copyButtons = await screen.findAllByRole('button', { name: /^Copy / });
    expect(copyButtons.length).toBeGreaterThan(0);
    fireEvent.click(copyButtons[0]!);
    await waitFor(() => expect(copied.some((text) => text.includes('https://example.com/post/01'))).toBe(true));
    expect(screen.getByRole('link', { name: 'Download the evidence packet (ZIP)' }).getAttribute('href')).toBe(
      `/api/reports/${REPORT_ID}/handoff-packet?channel=cac-12377-web`,
    );
    fireEvent.input(screen.getByRole('textbox', { name: 'Case number' }), { target: { value: 'JB-2026-0042' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record hand-off' }));
    await waitFor(() =>
      expect(desk.requests.find((r) => r.method === 'POST' && r.path.endsWith('/handoffs'))).toMatchObject({
        csrf: 'csrf-123',
        body: { channelId: 'cac-12377-web', caseNumber: 'JB-2026-0042' },
      }),
    );
  });
});

describe('roles and languages', () => {
  it('a reviewer sees no admin links and cannot open an admin page', async () => {
    const desk = fakeDesk({ role: 'reviewer' });
    renderApp(desk, { path: '/admin/users' });
    expect(await screen.findByRole('heading', { name: 'Admins only' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull();
    expect(desk.requests.some((r) => r.path.startsWith('/api/users'))).toBe(false);
  });

  it('an admin opens the audit log', async () => {
    const desk = fakeDesk({ role: 'admin' });
    renderApp(desk, { path: '/admin/audit' });
    expect(await screen.findByText('Nothing recorded yet.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Audit log' })).toBeTruthy();
  });

  it('the browser language picks, the switch overrides and is remembered', async () => {
    const desk = fakeDesk();
    const storage = renderApp(desk, { languages: ['zh-CN', 'en'] });
    expect(await screen.findByRole('searchbox', { name: '搜索' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    fireEvent.change(screen.getByRole('combobox', { name: '语言' }), { target: { value: 'en' } });
    expect(await screen.findByRole('searchbox', { name: 'Search' })).toBeTruthy();
    expect(storage.values.get('flagline-desk-locale')).toBe('en');
    cleanup();
    renderApp(fakeDesk(), { languages: ['zh-CN'], storage });
    expect(await screen.findByRole('searchbox', { name: 'Search' })).toBeTruthy();
  });

  it('a session lost mid-way goes back to sign in', async () => {
    const desk = fakeDesk({ routes: { 'GET /api/reports': () => ({ status: 401, body: { error: 'no session', code: 'unauthenticated' } }) } });
    renderApp(desk);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});

describe('admin screens', () => {
  const channel = {
    id: 'ch1',
    name: '实验中学',
    endpoint: 'http://127.0.0.1:8787/v1/reports',
    signing: false,
    createdAt: '2026-12-01T00:00:00Z',
    revokedAt: null,
    reportCount: 3,
  };

  it('Channels: creating one shows its endpoint and token once, with the provisioning file to download', async () => {
    const desk = fakeDesk({
      role: 'admin',
      routes: {
        'GET /api/channels': () => ({ status: 200, body: { channels: [channel] } }),
        'POST /api/channels': ({ body }) => ({
          status: 200,
          body: {
            channel: { ...channel, id: 'ch2', name: (body as { name: string }).name },
            token: 'tok_once_only_abcdef',
            signingSecret: null,
            provisioning: { endpoint: channel.endpoint, token: 'tok_once_only_abcdef' },
          },
        }),
      },
    });
    renderApp(desk, { path: '/admin/channels' });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Name' }), { target: { value: '二中' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create channel' }));
    expect((await screen.findByTestId('channel-token')).textContent).toBe('tok_once_only_abcdef');
    const download = screen.getByRole('link', { name: 'Download provisioning file' });
    expect(download.getAttribute('href')).toMatch(/^blob:/);
    expect(download.getAttribute('download')).toBe('flagline-ch2.json');
    expect(desk.requests.find((r) => r.method === 'POST')).toMatchObject({ path: '/api/channels', csrf: 'csrf-123', body: { name: '二中', signing: false } });
    expect(screen.getByRole('button', { name: 'Rotate token of 实验中学' })).toBeTruthy();
  });

  it('Users: creates a user and disables one', async () => {
    const user = {
      id: 'u2',
      email: 'wang@school.example',
      role: 'reviewer',
      disabled: false,
      channelIds: [],
      createdAt: '2026-12-01T00:00:00Z',
      lastSignInAt: null,
    };
    const desk = fakeDesk({
      role: 'admin',
      routes: {
        'GET /api/users': () => ({ status: 200, body: { users: [user] } }),
        'POST /api/users': () => ({ status: 200, body: { ...user, id: 'u3', email: 'zhao@school.example' } }),
        'PATCH /api/users/u2': () => ({ status: 200, body: { ...user, disabled: true } }),
      },
    });
    renderApp(desk, { path: '/admin/users' });
    fireEvent.input(await screen.findByRole('textbox', { name: 'Email' }), { target: { value: 'zhao@school.example' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'a long password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));
    await waitFor(() =>
      expect(desk.requests.find((r) => r.method === 'POST')).toMatchObject({
        path: '/api/users',
        body: { email: 'zhao@school.example', role: 'reviewer', password: 'a long password' },
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Disable wang@school.example' }));
    await waitFor(() =>
      expect(desk.requests.find((r) => r.method === 'PATCH')).toMatchObject({ path: '/api/users/u2', csrf: 'csrf-123', body: { disabled: true } }),
    );
  });

  it('Notifications: adds a webhook and sends a test', async () => {
    const notifier = {
      id: 'n1',
      kind: 'dingtalk',
      name: '值班群',
      webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=***',
      hasSecret: true,
      createdAt: '2026-12-01T00:00:00Z',
      lastSentAt: null,
      lastError: null,
    };
    const desk = fakeDesk({
      role: 'admin',
      routes: {
        'GET /api/notifiers': () => ({ status: 200, body: { notifiers: [notifier] } }),
        'POST /api/notifiers': () => ({ status: 200, body: notifier }),
        'POST /api/notifiers/n1/test': () => ({ status: 200, body: { sent: true, rateLimited: false, error: null, notifier } }),
      },
    });
    renderApp(desk, { path: '/admin/notifications' });
    fireEvent.change(await screen.findByRole('combobox', { name: 'Platform' }), { target: { value: 'feishu' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Name' }), { target: { value: '飞书群' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Webhook URL' }), { target: { value: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    await waitFor(() =>
      expect(desk.requests.find((r) => r.method === 'POST' && r.path === '/api/notifiers')?.body).toEqual({
        kind: 'feishu',
        name: '飞书群',
        webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc',
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test to 值班群' }));
    expect(await screen.findByText('Test message sent to 值班群.')).toBeTruthy();
  });

  it('Notifications: says why a test did not arrive', async () => {
    const notifier = {
      id: 'n1',
      kind: 'wecom',
      name: '值班群',
      webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
      hasSecret: false,
      createdAt: '2026-12-01T00:00:00Z',
      lastSentAt: null,
      lastError: 'WeCom errcode 93000: invalid webhook url',
    };
    const desk = fakeDesk({
      role: 'admin',
      routes: {
        'GET /api/notifiers': () => ({ status: 200, body: { notifiers: [notifier] } }),
        'POST /api/notifiers/n1/test': () => ({
          status: 200,
          body: { sent: false, rateLimited: false, error: 'WeCom errcode 93000: invalid webhook url', notifier },
        }),
      },
    });
    renderApp(desk, { path: '/admin/notifications' });
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test to 值班群' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The robot 值班群 did not take the test message: WeCom errcode 93000: invalid webhook url');
    expect(screen.queryByText(/Test message sent/)).toBeNull();
  });
});
