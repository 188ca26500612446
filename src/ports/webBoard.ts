/** The web board's HTTP server, as the game-day engine asks for it (adapters/webBoard.ts serves it). */
import type { Lang } from '../core/text.js';
import type { WebView } from '../core/gameday/webBoard.js';

export interface WebBoardServerOptions {
  host: string;
  port: number;
  /** The live part of the page, for a view and a language. */
  render(view: WebView, lang: Lang): string;
  /** The whole page (its first render inline). */
  page(view: WebView, lang: Lang): string;
  assets: Record<string, { type: string; body: string }>;
  /** Calls back on every change of the board; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
  /** Required for the room's view; undefined: no token (loopback only). */
  viewerToken?: string;
  instructorToken: string;
  /** Re-render every so often (the clock moves on its own). */
  tickMs?: number;
}

export interface WebBoardServer {
  /** Base URL, e.g. http://127.0.0.1:7070 */
  url: string;
  roomUrl: string;
  instructorUrl: string;
  clients(): number;
  close(): Promise<void>;
}
