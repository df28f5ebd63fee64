/**
 * Transport adapter: takes the HTTP server's `upgrade` events for /sync/:boardId[/bookings], authorizes, and
 * hands the socket to the SyncServer. Refusals are accept-then-close with a 4xxx code, because an
 * HTTP 401 on the upgrade makes y-websocket retry forever while a 4xxx close makes it stop.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { SyncServer } from './syncServer.ts';
import type { AuthorizeSync } from './authorizeSync.ts';
import type { DocKind } from './types.ts';

const SYNC_PATH = /^\/sync\/([^/?]+)(\/bookings)?\/?$/;

/** A malformed %-escape names no board: '' fails authorization's id check (4404), never throws. */
function decodeBoardId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

export function attachWebsocket(server: Server, deps: { sync: SyncServer; authorize: AuthorizeSync; logger: Logger }) {
  const { maxFrameBytes } = deps.sync.options;
  const wss = new WebSocketServer({
    noServer: true,
    // Frames between the limit and this cap are refused by the sync core with 4413; anything larger
    // is cut by ws before it is buffered (close 1009), so memory stays bounded.
    maxPayload: maxFrameBytes * 4,
    perMessageDeflate: false,
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]!;
    const match = SYNC_PATH.exec(path);
    if (!match) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const boardId = decodeBoardId(match[1]!);
    const kind: DocKind = match[2] ? 'bookings' : 'board';
    wss.handleUpgrade(req, socket, head, (ws) =>
      onSocket(ws, req, boardId, kind).catch((err) => {
        // Never an unhandled rejection (it would end the process): this socket alone is closed.
        deps.logger.error({ err }, 'sync connection failed');
        ws.close(1011, 'server error');
      }),
    );
  };

  const onSocket = async (ws: WebSocket, req: IncomingMessage, boardId: string, kind: DocKind) => {
    ws.binaryType = 'nodebuffer';
    // Frames sent before authorization finishes are kept, in order, and handled after it.
    let early: Uint8Array[] | null = [];
    let conn: ReturnType<SyncServer['handleConnection']> | null = null;
    // Views, not copies: the frame's bytes are only read.
    const toBytes = (data: RawData): Uint8Array => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : (data as Buffer);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    };
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(4400, 'text frames are not part of the protocol');
      const bytes = toBytes(data);
      if (early) early.push(bytes);
      else if (conn) deps.sync.handleMessage(conn, bytes);
    });
    ws.on('close', () => {
      early = null;
      if (conn) deps.sync.handleClose(conn);
    });
    ws.on('error', (err) => deps.logger.debug({ err: String(err) }, 'websocket error'));

    let auth;
    try {
      auth = await deps.authorize({ boardId, kind, cookie: req.headers.cookie, origin: req.headers.origin, host: req.headers.host });
    } catch (err) {
      deps.logger.error({ err }, 'sync authorization failed');
      ws.close(1011, 'server error');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    if (!auth.ok) {
      ws.close(auth.code, auth.reason);
      return;
    }
    conn = deps.sync.handleConnection(
      {
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        close: (code, reason) => ws.close(code, reason),
      },
      auth.info,
    );
    const queued = early ?? [];
    early = null;
    for (const frame of queued) deps.sync.handleMessage(conn, frame);
  };

  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      wss.close();
    },
  };
}
