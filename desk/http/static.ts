/**
 * Serves the built web interface (.output/desk-ui, `npm run build:desk-ui`) at `/`: files by
 * their content type, `index.html` for the interface's own routes (`/reports/…`, `/admin/…`),
 * hashed assets cached for good, and on every answer the headers that keep a hostile page's
 * text from running here: a strict Content-Security-Policy, nosniff, no referrer, no framing.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Two levels below the repository both as source (desk/http/) and bundled (.output/desk/). */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../.output/desk-ui', import.meta.url));

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names every file under assets/ by its content hash: a new build is a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Paths the interface never owns: an unknown API or protocol route is a 404, not the app. */
const NOT_THE_UI = /^\/(api|v1)(\/|$)/;

export type StaticHandler = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;

export function createStaticHandler(dir: string = DEFAULT_UI_DIR): StaticHandler {
  const root = normalize(dir + sep);

  async function fileAt(path: string): Promise<{ file: string; body: Buffer } | undefined> {
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { file, body: await readFile(file) };
  }

  function send(request: IncomingMessage, response: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string>): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(bytes.length) });
    response.end(request.method === 'HEAD' ? undefined : bytes);
  }

  return async (request, response, path) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(request, response, 405, 'use GET', { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return send(request, response, 400, 'bad path', { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    const notFound = () => send(request, response, 404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    if (NOT_THE_UI.test(decoded) || decoded.includes('\0')) return notFound();

    const extension = extname(decoded);
    const found = decoded === '/' || extension === '' ? undefined : await fileAt(decoded);
    if (found) {
      const cache = decoded.startsWith('/assets/') ? IMMUTABLE : 'no-cache';
      return send(request, response, 200, found.body, {
        'Content-Type': CONTENT_TYPES[extname(found.file)] ?? 'application/octet-stream',
        'Cache-Control': cache,
      });
    }
    // A missing file with an extension is a 404; anything else is one of the interface's routes.
    if (extension !== '') return notFound();
    const index = await fileAt('/index.html');
    if (!index) {
      return send(request, response, 503, 'The web interface is not built: run `npm run build:desk-ui`.', {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
      });
    }
    return send(request, response, 200, index.body, { 'Content-Type': CONTENT_TYPES['.html']!, 'Cache-Control': 'no-cache' });
  };
}
