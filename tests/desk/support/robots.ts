/**
 * Fake group robots on loopback, one per platform, that check a request the way the platform's
 * documents say it checks it (desk/notify/platforms.ts cites them): the token in the URL, the
 * signature recomputed from the secret, the timestamp within an hour, the message shape, and the
 * platform's own rate limit, answered with the platform's own error codes.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RobotKind = 'dingtalk' | 'wecom' | 'feishu';

export interface FakeRobot {
  webhookUrl: string;
  /** Messages the robot accepted and would have posted to the group, as parsed JSON bodies. */
  accepted: Record<string, unknown>[];
  /** Error answers it gave, as `{ code, msg }`. */
  refused: { code: number; msg: string }[];
  /** The next this-many requests are answered "too fast", as the platform answers a flood. */
  tooFastNext: number;
  /** Every text the robot accepted, flattened: what the group would read. */
  texts(): string[];
  close(): Promise<void>;
}

const TOKEN = 'f00dfeedc0ffee0123456789abcdef0123456789abcdef0123456789abcdef01';
const HOUR_MS = 3_600_000;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Requests accepted within the last `windowMs` (the platforms count per robot). */
function countSince(times: number[], windowMs: number, now: number) {
  return times.filter((time) => now - time < windowMs).length;
}

/** `now`: the robot's clock (the test's, when the test moves the Desk's clock). */
export async function startFakeRobot(kind: RobotKind, options: { secret?: string; now?: () => number } = {}): Promise<FakeRobot> {
  const secret = options.secret;
  const clockNow = options.now ?? Date.now;
  const acceptedAt: number[] = [];
  const robot: Omit<FakeRobot, 'webhookUrl' | 'close'> = {
    accepted: [],
    refused: [],
    tooFastNext: 0,
    texts() {
      return robot.accepted.map((body) => {
        const content = (body.markdown ?? body.content) as Record<string, unknown> | undefined;
        return [content?.title, content?.text, content?.content].filter((part) => typeof part === 'string').join('\n');
      });
    },
  };

  function answer(url: URL, rawQuery: string, body: Record<string, unknown>): { code: number; msg: string } {
    const now = clockNow();
    if (kind === 'dingtalk') {
      if (url.pathname !== '/robot/send' || url.searchParams.get('access_token') !== TOKEN) return { code: 300001, msg: 'token is not exist' };
      if (secret) {
        const timestamp = url.searchParams.get('timestamp') ?? '';
        if (!/^\d{13}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > HOUR_MS) return { code: 310000, msg: 'invalid timestamp' };
        const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
        // The sign is Base64 *then URL-encoded*: the raw query must carry it encoded.
        const rawSign = /(?:^|&)sign=([^&]*)/.exec(rawQuery)?.[1];
        if (rawSign !== encodeURIComponent(expected)) return { code: 310000, msg: 'sign not match' };
      }
      const markdown = body.markdown as Record<string, unknown> | undefined;
      if (body.msgtype !== 'markdown' || typeof markdown?.title !== 'string' || typeof markdown.text !== 'string') return { code: 40035, msg: 'bad message' };
      if (robot.tooFastNext > 0 || countSince(acceptedAt, 60_000, now) >= 20) return { code: 130101, msg: 'send too fast, exceed 20 times per minute' };
      return { code: 0, msg: 'ok' };
    }
    if (kind === 'wecom') {
      if (url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== TOKEN) return { code: 93000, msg: 'invalid webhook url' };
      const markdown = body.markdown as Record<string, unknown> | undefined;
      if (body.msgtype !== 'markdown' || typeof markdown?.content !== 'string') return { code: 40008, msg: 'invalid message type' };
      if (Buffer.byteLength(markdown.content) > 4096) return { code: 40058, msg: 'markdown.content exceed max length 4096' };
      if (robot.tooFastNext > 0 || countSince(acceptedAt, 60_000, now) >= 20) return { code: 45009, msg: 'api freq out of limit' };
      return { code: 0, msg: 'ok' };
    }
    if (url.pathname !== `/open-apis/bot/v2/hook/${TOKEN}`) return { code: 19001, msg: 'param invalid: incoming webhook access token invalid' };
    if (secret) {
      const timestamp = typeof body.timestamp === 'string' ? body.timestamp : '';
      const expected = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
      if (!/^\d{10}$/.test(timestamp) || Math.abs(now - Number(timestamp) * 1000) > HOUR_MS || body.sign !== expected) {
        return { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' };
      }
    }
    const content = body.content as Record<string, unknown> | undefined;
    if (body.msg_type !== 'text' || typeof content?.text !== 'string') return { code: 9499, msg: 'Bad Request' };
    if (robot.tooFastNext > 0 || countSince(acceptedAt, 60_000, now) >= 100 || countSince(acceptedAt, 1000, now) >= 5)
      return { code: 11232, msg: 'frequency limited' };
    return { code: 0, msg: 'success' };
  }

  const server: Server = createServer((request, response) => {
    void readBody(request).then((raw) => {
      const url = new URL(request.url ?? '/', 'http://robot.test');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // An unparseable body fails the shape checks below.
      }
      const result = request.method === 'POST' ? answer(url, url.search.slice(1), body) : { code: 405, msg: 'method not allowed' };
      if (result.code === 0) {
        acceptedAt.push(clockNow());
        robot.accepted.push(body);
      } else {
        if (robot.tooFastNext > 0 && [130101, 45009, 11232].includes(result.code)) robot.tooFastNext -= 1;
        robot.refused.push(result);
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(kind === 'feishu' ? { code: result.code, msg: result.msg, data: {} } : { errcode: result.code, errmsg: result.msg }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = { dingtalk: `/robot/send?access_token=${TOKEN}`, wecom: `/cgi-bin/webhook/send?key=${TOKEN}`, feishu: `/open-apis/bot/v2/hook/${TOKEN}` }[kind];
  return Object.assign(robot, {
    webhookUrl: `${base}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export const ROBOT_TOKEN = TOKEN;
