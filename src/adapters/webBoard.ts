/**
 * The web board's HTTP server (node:http, no framework): the room's page at `/`, the
 * instructor's at `/instructor`, each with its Server-Sent Events stream at `…/events`, and the
 * two assets from the package (no CDN: rooms are often offline). The browser gets rendered HTML
 * only, never cluster credentials. Tokens: the instructor's always; the room's viewer token only
 * when bound to a non-loopback address (on 127.0.0.1 the Host header is checked instead, so a
 * web page elsewhere cannot read the board through DNS rebinding).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Lang } from '../core/text.js';
import { isLoopbackHost, type WebView } from '../core/gameday/webBoard.js';
import type { WebBoardServer, WebBoardServerOptions } from '../ports/webBoard.js';

export type { WebBoardServer, WebBoardServerOptions };


const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};


function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Client {
  res: ServerResponse;
  view: WebView;
  lang: Lang;
  last: string;
}

export async function startWebBoardServer(options: WebBoardServerOptions): Promise<WebBoardServer> {
  const clients = new Set<Client>();
  const loopback = isLoopbackHost(options.host);
  let port = options.port;

  const push = (client: Client) => {
    const html = options.render(client.view, client.lang);
    if (html === client.last) return;
    client.last = html;
    client.res.write(`event: board\ndata: ${JSON.stringify({ html })}\n\n`);
  };
  const pushAll = () => {
    for (const client of clients) {
      try {
        push(client);
      } catch {
        clients.delete(client);
      }
    }
  };
  const unsubscribe = options.subscribe(pushAll);
  const tick = setInterval(pushAll, options.tickMs ?? 1000);
  // Comments keep proxies and idle browsers from closing the stream.
  const keepAlive = setInterval(() => clients.forEach((c) => c.res.write(': keep-alive\n\n')), 15_000);

  const deny = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(`${text}\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'read-only');
    const url = new URL(req.url ?? '/', 'http://board.invalid');
    if (loopback) {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!isLoopbackHost(host)) return deny(res, 403, 'this board answers on localhost only');
    }
    const asset = options.assets[url.pathname];
    if (asset) {
      res.writeHead(200, { 'Content-Type': asset.type, ...SECURITY_HEADERS });
      return res.end(asset.body);
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, SECURITY_HEADERS);
      return res.end();
    }
    const match = /^\/(instructor)?\/?(events)?$/.exec(url.pathname);
    if (!match) return deny(res, 404, 'not found');
    const view: WebView = match[1] ? 'instructor' : 'room';
    const token = url.searchParams.get('t');
    if (view === 'instructor' && !sameToken(token, options.instructorToken)) return deny(res, 403, 'the instructor view needs its token (?t=…)');
    if (view === 'room' && options.viewerToken && !sameToken(token, options.viewerToken)) return deny(res, 403, 'this board needs its viewer token (?t=…)');
    const lang: Lang = url.searchParams.get('lang') === 'ko' ? 'ko' : 'en';
    if (match[2]) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', ...SECURITY_HEADERS });
      res.write('retry: 1000\n\n');
      const client: Client = { res, view, lang, last: '' };
      clients.add(client);
      req.on('close', () => clients.delete(client));
      push(client);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
    res.end(options.page(view, lang));
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      if (!res.headersSent) deny(res, 500, (error as Error).message);
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostPart}:${port}`;
  return {
    url,
    roomUrl: options.viewerToken ? `${url}/?t=${options.viewerToken}` : `${url}/`,
    instructorUrl: `${url}/instructor?t=${options.instructorToken}`,
    clients: () => clients.size,
    async close() {
      clearInterval(tick);
      clearInterval(keepAlive);
      unsubscribe();
      for (const c of clients) c.res.end();
      clients.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
