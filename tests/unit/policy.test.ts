import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers } from '@/utils/background/handlers';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { fixedSettings, onPolicyChanged, parsePolicy, resolveCategories, submitContext, type StorageChangedEvent } from '@/utils/policy';
import { ManagedPolicy } from '@/utils/schema/policy';
import { Report } from '@/utils/schema/report';
import { DEFAULT_SETTINGS, loadEffectiveSettings, loadEffectiveState, loadUserSettings, saveSettings } from '@/utils/settings';
import { freshDb, testClock } from './helpers';

const policy = (value: unknown) => async () => value;

describe('managed_schema.json agrees with the zod ManagedPolicy', () => {
  /** Reduces a JSON schema to key names and types (what Chrome's schema check looks at). */
  type Shape = { type: string; properties?: Record<string, Shape>; items?: Shape };
  const reduce = (schema: Record<string, unknown>): Shape => {
    let type = schema.type as string | undefined;
    if (!type && Array.isArray(schema.anyOf)) type = (schema.anyOf as Array<{ type?: string }>).map((s) => s.type).find(Boolean);
    if (!type && Array.isArray(schema.enum)) type = typeof schema.enum[0];
    const out: Shape = { type: type ?? 'unknown' };
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties as Record<string, Record<string, unknown>>).map(([key, value]) => [key, reduce(value)]),
      );
    }
    if (schema.items) out.items = reduce(schema.items as Record<string, unknown>);
    return out;
  };

  it('has the same keys with the same types, nested ones included', () => {
    const fromFile = reduce(JSON.parse(readFileSync('public/managed_schema.json', 'utf8')));
    const fromZod = reduce(z.toJSONSchema(ManagedPolicy, { io: 'input', unrepresentable: 'any' }));
    expect(fromFile).toEqual(fromZod);
    expect(Object.keys(fromFile.properties ?? {}).sort()).toEqual(
      [
        'accessToken',
        'allowScreenshots',
        'batchSize',
        'categories',
        'endpointUrl',
        'handoff',
        'locked',
        'organizationName',
        'requireReporterIdentity',
        'reviewBeforeSend',
        'signingSecret',
        'supportUrl',
      ].sort(),
    );
  });

  it('is what the manifest points at', async () => {
    const config = readFileSync('wxt.config.ts', 'utf8');
    expect(config).toMatch(/managed_schema: 'managed_schema.json'/);
  });
});

describe('parsePolicy (key by key)', () => {
  it('applies valid keys and reports each invalid one without taking the others down', () => {
    const parsed = parsePolicy({
      endpointUrl: 'https://reports.school.example/v1',
      accessToken: 'tok-1',
      organizationName: 'Example School',
      batchSize: 9000,
      supportUrl: 'javascript:alert(1)',
      reviewBeforeSend: 'yes',
      colour: 'blue',
    });
    expect(parsed.values).toEqual({ endpointUrl: 'https://reports.school.example/v1', accessToken: 'tok-1', organizationName: 'Example School' });
    expect(parsed.problems).toEqual(
      expect.arrayContaining([
        { key: 'batchSize', message: 'error_number_range' },
        { key: 'supportUrl', message: 'policy_problem_supportUrl' },
        { key: 'reviewBeforeSend', message: 'policy_problem_type' },
        { key: 'colour', message: 'policy_problem_unknownKey' },
      ]),
    );
    expect(parsed.problems).toHaveLength(4);
  });

  it('refuses an insecure endpoint (Chrome lets any string through) and then drops the credentials with it', () => {
    const parsed = parsePolicy({ endpointUrl: 'http://reports.school.example/v1', accessToken: 'tok', organizationName: 'S' });
    expect(parsed.values).toEqual({ organizationName: 'S' });
    expect(parsed.problems).toEqual([
      { key: 'endpointUrl', message: 'error_endpoint_insecure' },
      { key: 'accessToken', message: 'policy_problem_needsEndpoint' },
    ]);
  });

  it('keeps the valid names of a lock list when one is misspelt', () => {
    const parsed = parsePolicy({ locked: ['reporterName', 'endpointURL', 'allowScreenshots'] });
    expect(parsed.values.locked).toEqual(['reporterName', 'allowScreenshots']);
    expect(parsed.problems).toEqual([{ key: 'locked', message: 'policy_problem_lockedName', path: '1' }]);
  });

  it('treats a non-object policy as one problem and no values', () => {
    expect(parsePolicy('nope')).toEqual({ values: {}, problems: [{ key: '*', message: 'policy_problem_notObject' }] });
    expect(parsePolicy({})).toEqual({ values: {}, problems: [] });
  });

  it('validates categories: unknown sub-reasons, bad slugs and missing Chinese labels are refused', () => {
    expect(parsePolicy({ categories: { builtIn: [{ id: 'rumor', reasons: ['nonsense'] }] } }).problems).toEqual([
      { key: 'categories', message: 'policy_problem_reason', path: 'builtIn.0.reasons.0' },
    ]);
    const noZh = parsePolicy({ categories: { custom: [{ id: 'bullying', label: { en: 'Bullying' } }] } });
    expect(noZh.values.categories).toBeUndefined();
    expect(noZh.problems[0]).toMatchObject({ key: 'categories', path: 'custom.0.label.zh_CN' });
    expect(parsePolicy({ categories: { custom: [{ id: 'Bad Slug', label: { en: 'x', zh_CN: '某' } }] } }).problems[0]).toMatchObject({
      message: 'policy_problem_slug',
    });
    expect(parsePolicy({ categories: { builtIn: [] } }).problems[0]).toMatchObject({ message: 'policy_problem_noCategories' });
  });
});

describe('categories under a policy', () => {
  const categories = {
    builtIn: [{ id: 'minors' as const, reasons: ['self_harm', 'child_exploitation'] }, { id: 'rumor' as const }],
    custom: [
      {
        id: 'bullying',
        label: { en: 'Bullying at school', zh_CN: '校园欺凌' },
        description: { en: 'Pupils of our school', zh_CN: '本校学生' },
        dsaCategory: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH',
      },
      { id: 'other', label: { en: 'Something else', zh_CN: '其他问题' } },
    ],
  };

  it('offers the kept built-in ones in order, narrowed, then the custom ones in the UI language', () => {
    const en = resolveCategories(categories, 'en');
    expect(en.map((c) => c.id)).toEqual(['minors', 'rumor', 'custom:bullying', 'custom:other']);
    expect(en[0]?.reasons.map((r) => r.id)).toEqual(['self_harm', 'child_exploitation']);
    expect(en[1]?.reasons).toHaveLength(4);
    expect(en[2]?.display).toEqual({ label: 'Bullying at school', hint: 'Pupils of our school' });
    expect(resolveCategories(categories, 'zh_CN')[2]?.display).toEqual({ label: '校园欺凌', hint: '本校学生' });
    expect(resolveCategories(undefined)).toEqual([...BUILT_IN_CATEGORIES]);
  });

  it('the background accepts a custom category the policy offers, with its DSA code, and refuses one it does not', async () => {
    const db = freshDb();
    const clock = testClock();
    const raw = { categories, requireReporterIdentity: false };
    const handlers = createHandlers({
      db,
      tabs: { get: async () => ({ id: 1, url: 'https://example.org/post', title: 'Post' }), fileSchemeAllowed: async () => false },
      reportFactory: { clock, newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'en' } },
      flush: async () => ({ attempted: 0, sent: 0, failed: 0, retrying: 0 }),
      submitContext: async () => submitContext(await loadEffectiveState(db, policy(raw))),
    });
    const { id } = await handlers.submitReport({ tabId: 1, category: 'custom:bullying', explanation: '', goodFaith: true }, {});
    const stored = await db.reports.get(id);
    expect(Report.parse(stored?.report)).toMatchObject({ category: 'custom:bullying', dsaCategory: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH' });
    const other = await handlers.submitReport({ tabId: 1, category: 'custom:other', explanation: '', goodFaith: true }, {});
    expect((await db.reports.get(other.id))?.report.dsaCategory).toBeUndefined();
    await expect(handlers.submitReport({ tabId: 1, category: 'custom:unknown', explanation: '', goodFaith: true }, {})).rejects.toThrow(/unknown category/);
    // The policy dropped cyberviolence.
    await expect(handlers.submitReport({ tabId: 1, category: 'cyberviolence', explanation: '', goodFaith: true }, {})).rejects.toThrow(/unknown category/);
  });

  it('with requireReporterIdentity the background refuses a report without name and contact, and sends it with them', async () => {
    const db = freshDb();
    const raw = { requireReporterIdentity: true };
    const handlers = createHandlers({
      db,
      tabs: { get: async () => ({ id: 1, url: 'https://example.org/post', title: 'Post' }), fileSchemeAllowed: async () => false },
      reportFactory: { clock: testClock(), newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'en' } },
      flush: async () => ({ attempted: 0, sent: 0, failed: 0, retrying: 0 }),
      submitContext: async () => submitContext(await loadEffectiveState(db, policy(raw))),
    });
    const request = { tabId: 1, category: 'rumor', explanation: '', goodFaith: true as const };
    await expect(handlers.submitReport(request, {})).rejects.toThrow(/reporter identity/);
    expect(await db.reports.count()).toBe(0);
    await saveSettings(db, { reporterName: '王老师', reporterContact: 'wang@school.example' });
    const { id } = await handlers.submitReport(request, {});
    expect((await db.reports.get(id))?.report.reporter).toEqual({ name: '王老师', contact: 'wang@school.example' });
  });
});

describe('precedence and locks', () => {
  it('defaults < user settings < policy', async () => {
    const db = freshDb();
    await saveSettings(db, { endpointUrl: 'https://mine.example/r', batchSize: 10, maxAgeDays: 3 });
    const effective = await loadEffectiveSettings(db, policy({ endpointUrl: 'https://school.example/r', accessToken: 'school', batchSize: 25 }));
    expect(effective).toEqual({ ...DEFAULT_SETTINGS, endpointUrl: 'https://school.example/r', accessToken: 'school', batchSize: 25, maxAgeDays: 3 });
    // Without a policy the user's values apply again (nothing of the policy was written down).
    expect(await loadEffectiveSettings(db, policy({}))).toEqual({ ...DEFAULT_SETTINGS, endpointUrl: 'https://mine.example/r', batchSize: 10, maxAgeDays: 3 });
  });

  it('a policy endpoint fixes the credentials too, so a user token never goes to the school endpoint', async () => {
    const db = freshDb();
    await saveSettings(db, { endpointUrl: 'https://mine.example/r', accessToken: 'my-own-token' });
    const state = await loadEffectiveState(db, policy({ endpointUrl: 'https://school.example/r' }));
    expect(state.settings.accessToken).toBe('');
    expect(state.view.fixed.sort()).toEqual(['accessToken', 'endpointUrl', 'signingSecret']);
  });

  it('`locked` fixes settings the policy does not set at their default', async () => {
    const db = freshDb();
    await saveSettings(db, { allowScreenshots: false, reviewBeforeSend: true });
    const state = await loadEffectiveState(db, policy({ locked: ['allowScreenshots'] }));
    expect(state.settings.allowScreenshots).toBe(true);
    expect(state.settings.reviewBeforeSend).toBe(true);
    expect(fixedSettings(state.policy)).toEqual(['allowScreenshots']);
  });

  it('saveSettings refuses to change a fixed setting and saves nothing; other settings save', async () => {
    const db = freshDb();
    const read = policy({ endpointUrl: 'https://school.example/r', organizationName: 'S', locked: ['reporterName'] });
    const refused = await saveSettings(db, { endpointUrl: 'https://elsewhere.example/r', batchSize: 5 }, read);
    expect(refused).toEqual({ ok: false, errors: { endpointUrl: 'policy_error_fixed' } });
    expect((await loadUserSettings(db)).batchSize).toBe(DEFAULT_SETTINGS.batchSize);
    expect((await saveSettings(db, { reporterName: 'Pupil' }, read)).ok).toBe(false);
    // Sending the fixed value unchanged is allowed (a form that posts every field).
    const saved = await saveSettings(db, { endpointUrl: 'https://school.example/r', batchSize: 5 }, read);
    expect(saved.ok).toBe(true);
    expect(await loadEffectiveSettings(db, read)).toMatchObject({ endpointUrl: 'https://school.example/r', batchSize: 5 });
    expect((await loadUserSettings(db)).endpointUrl).toBe(DEFAULT_SETTINGS.endpointUrl);
  });

  it('a policy change is heard through storage.onChanged for the managed area only', () => {
    const listeners = new Set<(changes: Record<string, unknown>, area: string) => void>();
    const event: StorageChangedEvent = { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) };
    let calls = 0;
    const stop = onPolicyChanged(event, () => calls++);
    for (const l of listeners) l({}, 'local');
    for (const l of listeners) l({ organizationName: {} }, 'managed');
    expect(calls).toBe(1);
    stop();
    expect(listeners.size).toBe(0);
  });
});
