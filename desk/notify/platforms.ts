/**
 * The three group-robot platforms, each as its documents describe it: how a message is signed and
 * shaped, how fast it may be sent, and what its answers mean. Everything else in desk/notify/ is
 * the same for all three.
 */
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import type { NotifierKind } from '../api/contract';

export type Kind = z.infer<typeof NotifierKind>;

/** One message in the two shapes the platforms take: Markdown (DingTalk, WeCom) and plain text (Feishu). */
export interface RobotMessage {
  title: string;
  markdown: string;
  text: string;
}

export type SendOutcome = { ok: true } | { ok: false; rateLimited: boolean; error: string };

export interface SendLimit {
  capacity: number;
  /** The whole capacity refills over this many milliseconds. */
  perMs: number;
}

interface Platform {
  label: string;
  /** Every limit must have room for a message to go (Feishu has a per-minute and a per-second limit). */
  limits: readonly SendLimit[];
  /** How long the platform stops a robot that went too fast; we wait as long before trying again. */
  penaltyMs: number;
  request(webhookUrl: string, secret: string | null, message: RobotMessage, now: Date): { url: string; body: unknown };
  /** Reads the platform's answer (its JSON body, or undefined when the body was not JSON). */
  interpret(status: number, body: unknown): SendOutcome;
}

const MINUTE = 60_000;

const field = (body: unknown, name: string): unknown => (body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined);

function errcodeAnswer(label: string, status: number, body: unknown, tooFast: number): SendOutcome {
  const code = field(body, 'errcode');
  if (status === 200 && code === 0) return { ok: true };
  const message = field(body, 'errmsg');
  if (typeof code === 'number') {
    return {
      ok: false,
      rateLimited: code === tooFast,
      error: `${label} errcode ${code}: ${typeof message === 'string' ? message.slice(0, 200) : 'no message'}`,
    };
  }
  return { ok: false, rateLimited: status === 429, error: `${label} answered HTTP ${status} without an errcode` };
}

/**
 * DingTalk custom robot (自定义机器人).
 * - Signing (加签), https://open.dingtalk.com/document/robots/customize-robot-security-settings
 *   (mirrored at https://apifox.com/apidoc/docs-site/467052/doc-3550006): the string to sign is
 *   `timestamp + "\n" + secret`, HMAC-SHA256 keyed with the secret, Base64, then URL-encoded;
 *   `timestamp` (milliseconds, within an hour of the server's clock) and `sign` go in the query.
 * - Messages, https://open.dingtalk.com/document/orgapp/custom-bot-send-message-type:
 *   `{ msgtype: 'markdown', markdown: { title, text } }`.
 * - Limit, https://open.dingtalk.com/document/robots/custom-robot-access: 20 messages a minute
 *   per robot; beyond that the robot is throttled for 10 minutes and answers errcode 130101
 *   ("send too fast"). 310000 is a failed security check (signature, keyword or IP).
 */
const dingtalk: Platform = {
  label: 'DingTalk',
  limits: [{ capacity: 20, perMs: MINUTE }],
  penaltyMs: 10 * MINUTE,
  request(webhookUrl, secret, message, now) {
    const url = new URL(webhookUrl);
    if (secret) {
      const timestamp = String(now.getTime());
      // URLSearchParams does the URL-encoding step of the documented recipe.
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64'));
    }
    return { url: url.toString(), body: { msgtype: 'markdown', markdown: { title: message.title, text: message.markdown } } };
  },
  interpret: (status, body) => errcodeAnswer('DingTalk', status, body, 130101),
};

/**
 * WeCom group robot (企业微信群机器人), https://developer.work.weixin.qq.com/document/path/91770:
 * the robot's `key` is in the webhook URL (no signing); `{ msgtype: 'markdown', markdown: { content } }`
 * with at most 4096 bytes of content; at most 20 messages a minute per robot. Answers
 * `{ errcode, errmsg }`; 45009 is the frequency limit (global error codes,
 * https://developer.work.weixin.qq.com/document/path/90313).
 */
const wecom: Platform = {
  label: 'WeCom',
  limits: [{ capacity: 20, perMs: MINUTE }],
  penaltyMs: MINUTE,
  request: (webhookUrl, _secret, message) => ({ url: webhookUrl, body: { msgtype: 'markdown', markdown: { content: message.markdown } } }),
  interpret: (status, body) => errcodeAnswer('WeCom', status, body, 45009),
};

/**
 * Feishu / Lark custom robot (自定义机器人), https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot:
 * - Signing (签名校验): the HMAC-SHA256 *key* is `timestamp + "\n" + secret` and the message is
 *   empty; Base64; `timestamp` (seconds, within an hour) and `sign` go in the JSON body, not the URL.
 * - `{ msg_type: 'text', content: { text } }`.
 * - Limits: 100 requests a minute and 5 a second per robot. Answers `{ code, msg }` (older
 *   deployments `{ StatusCode, StatusMessage }`); 19021 is a failed signature, 11232 the frequency limit.
 */
const feishu: Platform = {
  label: 'Feishu',
  limits: [
    { capacity: 100, perMs: MINUTE },
    { capacity: 5, perMs: 1000 },
  ],
  penaltyMs: MINUTE,
  request(webhookUrl, secret, message, now) {
    const content = { msg_type: 'text', content: { text: message.text } };
    if (!secret) return { url: webhookUrl, body: content };
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('', 'utf8').digest('base64');
    return { url: webhookUrl, body: { timestamp, sign, ...content } };
  },
  interpret(status, body) {
    const code = field(body, 'code') ?? field(body, 'StatusCode');
    if (status === 200 && code === 0) return { ok: true };
    const message = field(body, 'msg') ?? field(body, 'StatusMessage');
    if (typeof code === 'number') {
      return { ok: false, rateLimited: code === 11232, error: `Feishu code ${code}: ${typeof message === 'string' ? message.slice(0, 200) : 'no message'}` };
    }
    return { ok: false, rateLimited: status === 429, error: `Feishu answered HTTP ${status} without a code` };
  },
};

export const PLATFORMS: Record<Kind, Platform> = { dingtalk, wecom, feishu };

const SEND_TIMEOUT_MS = 10_000;

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** Sends one message to one robot and says how it went; never throws. */
export async function postToRobot(
  robot: { kind: Kind; webhookUrl: string; secret: string | null },
  message: RobotMessage,
  fetchFn: FetchFn,
  now: Date,
): Promise<SendOutcome> {
  const platform = PLATFORMS[robot.kind];
  const { url, body } = platform.request(robot.webhookUrl, robot.secret, message, now);
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    // The URL carries the robot's token: name the platform and the cause, never the address.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { ok: false, rateLimited: false, error: `${platform.label} could not be reached: ${cause}` };
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    parsed = undefined;
  }
  return platform.interpret(response.status, parsed);
}

const SECRET_QUERY_PARAMETERS = ['access_token', 'key', 'token'];

/** The webhook URL with its token shown only by its last four characters, for lists and logs. */
export function maskWebhookUrl(webhookUrl: string): string {
  const mask = (value: string) => `***${value.length > 8 ? value.slice(-4) : ''}`;
  const url = new URL(webhookUrl);
  for (const name of SECRET_QUERY_PARAMETERS) {
    const value = url.searchParams.get(name);
    if (value) url.searchParams.set(name, mask(value));
  }
  // Feishu's token is the last path segment: /open-apis/bot/v2/hook/{token}.
  url.pathname = url.pathname.replace(/\/hook\/([^/]+)/, (_match, token: string) => `/hook/${mask(token)}`);
  return url.toString();
}
