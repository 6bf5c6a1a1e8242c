/**
 * The demo page `npm start` opens (and the e2e tests report from): a few fictional posts to try
 * Flagline on. Static text written here, so nothing on it comes from outside.
 */
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

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

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
