import type { StoredReport } from './server';

/** Every received value is untrusted (it came from a web page): escape all of it. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
  body { font-family: system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; margin: 24px auto; max-width: 920px; padding: 0 16px; color: #1b1f24; line-height: 1.5; }
  h1 { font-size: 1.4rem; } .muted { color: #4a5360; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { border-bottom: 1px solid #d0d5db; padding: 6px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  .warn { color: #b3261e; font-weight: 600; } .ok { color: #146c2e; font-weight: 600; }
  td img { max-width: 280px; border: 1px solid #d0d5db; } blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid #d0d5db; }
  article { border: 1px solid #d0d5db; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
  article header { font-weight: 600; } article img { max-width: 100%; }
`;

/** Evidence as received: what was picked, each artifact with its hash check, images inline. */
function renderEvidence(report: StoredReport['report'], check: StoredReport['evidenceCheck']): string {
  const target = report.target;
  const picked = [
    target.kind !== 'page' ? `<br><span class="muted">${escapeHtml(target.kind)}</span>` : '',
    target.text ? `<blockquote>${escapeHtml(target.text.slice(0, 500))}</blockquote>` : '',
    target.urlAtSubmit ? `<br><span class="muted">picked at ${escapeHtml(target.urlAtPick)}, submitted at ${escapeHtml(target.urlAtSubmit)}</span>` : '',
  ].join('');
  if (!report.evidence || !check) return picked;
  const status = check.ok
    ? `<p class="ok" data-evidence="verified">Evidence verified · 证据校验通过 (manifest ${escapeHtml(check.actualManifest.slice(0, 16))}…)</p>`
    : `<p class="warn" data-evidence="mismatch">Evidence hash MISMATCH · 证据哈希不符${check.manifestOk ? '' : ' (manifest)'}: ${check.artifacts
        .filter((a) => !a.ok)
        .map((a) => escapeHtml(a.name))
        .join(', ')}</p>`;
  const items = report.evidence.artifacts
    .map((a) => {
      const verified = check.artifacts.find((c) => c.name === a.name)?.ok;
      // Only verified PNG bytes are shown, as a data: URL (the page's CSP allows img-src data:).
      const image =
        a.mediaType === 'image/png' && verified ? `<br><img alt="${escapeHtml(a.name)}" src="data:image/png;base64,${escapeHtml(a.dataBase64)}">` : '';
      return `<li>${escapeHtml(a.name)} · ${escapeHtml(a.size)} B · <code>${escapeHtml(a.sha256.slice(0, 16))}…</code> ${verified ? '✓' : '✗'}${image}</li>`;
    })
    .join('');
  const missing = report.evidence.unavailable.map((u) => `<li class="muted">${escapeHtml(u.name)}: ${escapeHtml(u.reason)}</li>`).join('');
  return `${picked}${status}<ul>${items}${missing}</ul>`;
}

export function renderReportsPage(reports: StoredReport[], conflicts: number): string {
  const rows = reports
    .map(
      ({ report, receipt, receivedAt, evidenceCheck }) => `<tr>
        <td>${escapeHtml(receivedAt)}<br><span class="muted">${escapeHtml(receipt)}</span></td>
        <td>${escapeHtml(report.category)}${report.subReason ? `<br><span class="muted">${escapeHtml(report.subReason)}</span>` : ''}</td>
        <td><strong>${escapeHtml(report.target.title)}</strong><br><span class="muted">${escapeHtml(report.target.url)}</span></td>
        <td>${escapeHtml(report.explanation)}${renderEvidence(report, evidenceCheck)}</td>
        <td class="muted">${escapeHtml(report.id)}</td>
      </tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
  <meta http-equiv="refresh" content="3">
  <title>Flagline reference receiver — ${reports.length} reports</title><style>${STYLE}</style></head>
  <body><h1>Flagline reference receiver · 参考接收端</h1>
  <p class="muted">Reports received on this computer (refreshes every 3 seconds). 本机收到的举报（每 3 秒刷新）。</p>
  ${conflicts ? `<p class="warn">${conflicts} report id(s) arrived again with a different body — a protocol violation.</p>` : ''}
  <p><strong>${reports.length}</strong> report(s) · 条举报</p>
  <table><thead><tr><th>Received · 接收时间</th><th>Category · 类别</th><th>Page · 页面</th><th>Explanation · 说明</th><th>Id</th></tr></thead>
  <tbody>${rows || '<tr><td colspan="5" class="muted">Nothing yet. Open the demo page and report a post. 暂无举报。</td></tr>'}</tbody></table>
  </body></html>`;
}

/** A demo page with a few sample posts to report (`npm start` opens it). All content is fictional. */
export function renderDemoPage(): string {
  const posts = [
    {
      author: '健康小贴士 HealthTips',
      text: '紧急扩散！喝盐水可以预防所有病毒，医院都不告诉你！ Share now: salt water prevents every virus, hospitals hide it!',
    },
    { author: 'anon_7731', text: '某某同学就是个废物，大家去他主页骂他，地址和电话我都发出来了。 Everyone go flood his page, I posted his address.' },
    {
      author: '挑战达人 ChallengeKing',
      text: '新挑战：零点一个人爬上楼顶边缘拍视频，不敢的都是胆小鬼！ New challenge: film yourself on the roof edge at midnight.',
    },
    { author: '社区公告 Community', text: '本周六上午社区图书馆举办亲子阅读活动，欢迎参加。 Family reading morning at the library this Saturday.' },
  ];
  const articles = posts
    .map(
      (post, i) => `<article id="post-${i + 1}" data-post-id="${i + 1}">
        <header>${escapeHtml(post.author)}</header>
        <p>${escapeHtml(post.text)}</p>
        <a href="/demo#post-${i + 1}">Permalink · 链接</a>
      </article>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
  <title>示例动态 · Flagline demo feed</title><style>${STYLE}</style></head>
  <body><h1>示例动态 · Demo feed</h1>
  <p class="muted">All posts are fictional samples for trying Flagline. 以下内容均为虚构示例，用于试用清朗举报助手。
  Click the Flagline button in the toolbar to report this page. 点击工具栏中的清朗举报助手按钮即可举报此页面。</p>
  ${articles}</body></html>`;
}
