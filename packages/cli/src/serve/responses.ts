// Small replies shared by the static files, the weights API and the server itself.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function isGetOrHead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

export function methodNotAllowed(res: ServerResponse, allow: string, json: boolean): void {
  res.setHeader('Allow', allow);
  const message = `Method not allowed (allowed: ${allow}).`;
  if (json) sendJson(res, 405, { error: message });
  else sendText(res, 405, message);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain; charset=utf-8', `${text}\n`);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  const buf = Buffer.from(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length });
  // Node drops the body of HEAD responses.
  res.end(buf);
}
