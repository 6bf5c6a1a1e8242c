import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { submitReport, waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

describe('Firefox: reporting a page from the popup', () => {
  const suite = useFirefox();

  test('arrives at the receiver exactly once with the tab URL, title, category and explanation', async () => {
    const { firefox, receiver, site } = suite;
    const url = `${site.url}/article.html?case=firefox`;
    const page = await firefox.openWebPage(url);
    const popup = await firefox.openPopup(page);
    await waitForText(popup, '惊爆！专家称喝盐水可预防病毒 — 示例新闻');
    await waitForText(popup, url);
    await submitReport(popup, { category: 'Rumor', reason: 'Health or public-safety rumor', explanation: '伪科学，误导公众' });

    const stored = await receiver.waitForReport();
    assert.equal(stored.report.category, 'rumor');
    assert.equal(stored.report.subReason, 'health_safety');
    assert.equal(stored.report.explanation, '伪科学，误导公众');
    assert.deepEqual(stored.report.target, { kind: 'page', url, title: '惊爆！专家称喝盐水可预防病毒 — 示例新闻' });
    assert.equal(stored.report.goodFaith.accepted, true);
    await waitForText(popup, `Report sent. Thank you. Receipt: ${stored.receipt}`);

    // Opening the popup again flushes the outbox: the sent report is not sent twice.
    await firefox.openPopup(page);
    const [record] = await firefox.records();
    assert.equal(record?.status, 'sent');
    assert.equal(record?.receipt, stored.receipt);
    assert.equal(receiver.reports().length, 1);
    assert.equal(receiver.requests.filter((r) => r.reportIds.includes(stored.id)).length, 1);
    assert.equal(receiver.conflicts(), 0);
  });
});
