import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check, clickButton, fill, SETTINGS_NAMES, waitForText } from './support/firefox';
import { useFirefox } from './support/suite';

/**
 * Firefox in Chinese. An add-on's UI language is Firefox's own, so Chinese needs Firefox in
 * Chinese: Debian's `firefox-esr-l10n-zh-cn` language pack (.ci/run installs it) and
 * `intl.locale.requested` = zh-CN. Without the pack Firefox — and Flagline — stay in English.
 */
describe('Firefox in Simplified Chinese', () => {
  // The settings page is in Chinese: the test sets the endpoint itself, by the Chinese labels.
  const suite = useFirefox({ locale: 'zh-CN', setEndpoint: false });

  test('settings, popup and confirmation are in Chinese, and the report says zh-CN', async () => {
    const { firefox, receiver, site } = suite;
    const language = await (await firefox.entry()).evaluate(() => browser.i18n.getUILanguage());
    assert.equal(language, 'zh-CN', "Firefox's UI is not Chinese: install its zh-CN language pack (Debian: apt-get install firefox-esr-l10n-zh-cn)");
    await firefox.setEndpoint(receiver.endpoint, '', SETTINGS_NAMES.zh_CN);

    const page = await firefox.openWebPage(`${site.url}/article.html?case=zh`);
    const popup = await firefox.openPopup(page);
    await waitForText(popup, '提交举报');
    assert.equal(await popup.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await popup.title(), '举报有害内容');
    await check(popup, '谣言');
    await fill(popup, '说明', '网传消息不实');
    await check(popup, '我善意地相信该内容有害，且我填写的内容属实。');
    await clickButton(popup, '提交举报');
    const stored = await receiver.waitForReport();
    assert.equal(stored.report.category, 'rumor');
    assert.equal(stored.report.explanation, '网传消息不实');
    assert.equal(stored.report.client.locale, 'zh-CN');
    await waitForText(popup, `举报已发送，谢谢您。回执编号：${stored.receipt}`);
  });
});

declare const browser: typeof import('wxt/browser').browser;
