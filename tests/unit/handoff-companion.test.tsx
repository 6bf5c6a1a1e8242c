// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HandoffCompanion } from '@/components/handoff/HandoffCompanion';
import { handoffsOf } from '@/utils/handoff/ledger';
import { useHandoff, type HandoffDeps } from '@/utils/ui/handoff';
import { noEvidence } from '@/utils/workspace/evidence';
import { freshDb, seedSavedReports, testClock } from './helpers';

afterEach(cleanup);

function Companion(deps: HandoffDeps) {
  return <HandoffCompanion handoff={useHandoff(deps)} language="en" />;
}

async function setup(count: number, change: (id: string) => object = () => ({})) {
  const db = freshDb();
  const ids = await seedSavedReports(db, testClock(), count);
  for (const id of ids) {
    const record = await db.reports.get(id);
    await db.reports.put({ ...record!, report: { ...record!.report, ...change(id) } });
  }
  const deps: HandoffDeps = {
    db,
    policySource: { read: async () => ({}) },
    evidence: noEvidence(db),
    reportIds: ids,
    openTab: vi.fn(async () => {}),
    writeClipboard: vi.fn(async () => {}),
    clock: () => 5000,
  };
  render(<Companion {...deps} />);
  return { db, ids, deps };
}

describe('the hand-off companion', () => {
  it('puts the child-exploitation guidance before any channel, and offers only 12377 for it', async () => {
    await setup(1, () => ({ category: 'minors', subReason: 'child_exploitation' }));
    const guidance = await screen.findByRole('note');
    expect(guidance.textContent).toMatch(/do not save, download or share the material/);
    const first = screen.getAllByRole('button')[0];
    expect(guidance.compareDocumentPosition(first!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /^Use / }).map((b) => b.textContent)).toEqual([
      'Use CAC Illegal and Harmful Information Reporting Centre (12377), web form',
      'Use 12377 reporting centre by email',
    ]);
  });

  it('opens the form in a tab, copies a field, refuses Save until marked, and steps a selection through one channel (2 of 3)', async () => {
    const { db, ids, deps } = await setup(3);
    expect(await screen.findByText('Report 1 of 3')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^Use CAC Illegal/ }));
    await waitFor(() => expect(deps.openTab).toHaveBeenCalledWith('https://www.12377.cn/'));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy 举报网址' }));
    await waitFor(() => expect(deps.writeClipboard).toHaveBeenCalledWith('https://x.example/0'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Tick “Mark as submitted” once you have submitted the form.')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Mark as submitted' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Case number' }), { target: { value: 'A-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Next report' }));
    expect(await screen.findByText('Report 2 of 3')).toBeTruthy();
    // The same channel, the next report's fields.
    fireEvent.click(await screen.findByRole('button', { name: 'Copy 举报网址' }));
    await waitFor(() => expect(deps.writeClipboard).toHaveBeenLastCalledWith('https://x.example/1'));
    const first = await db.reports.get(ids[0] as string);
    expect(handoffsOf(first!)).toEqual([{ at: 5000, endpoint: 'https://www.12377.cn/', outcome: 'handoff', channel: 'cac-12377-web', receipt: 'A-1' }]);
    expect(handoffsOf((await db.reports.get(ids[1] as string))!)).toEqual([]);
  });

  it('prepares an email draft for the email channel', async () => {
    await setup(1);
    fireEvent.click(await screen.findByRole('button', { name: 'Use 12377 reporting centre by email' }));
    const link = await screen.findByRole('link', { name: 'Prepare the email to jubao@12377.cn' });
    expect(link.getAttribute('href')).toMatch(/^mailto:jubao@12377\.cn\?subject=/);
  });
});
