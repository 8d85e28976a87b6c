import { STATUS_CODES, type ServerResponse } from 'node:http';

// Bodies shaped byte for byte like Flask 3 / Werkzeug 3 answers, so a client developed against the
// stand-in meets the same surprises as against the real API (sorted keys, HTML error pages).

// flask-cors with its defaults: every answer allows any origin.
const CORS = { 'Access-Control-Allow-Origin': '*' } as const;

/** Flask's jsonify outside debug mode: sorted keys, compact, non-ASCII escaped, trailing newline. */
export function flaskJson(value: unknown): string {
  const text = JSON.stringify(value, sortKeys);
  return (/[\u0080-\uffff]/.test(text) ? text.replace(/[\u0080-\uffff]/g, escapeUnicode) : text) + '\n';
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = flaskJson(value);
  res.writeHead(status, {
    ...CORS,
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Werkzeug's HTML error page for a status; `description` overrides the standard text. */
export function werkzeugErrorPage(status: number, description?: string): string {
  const [name, standard] = WERKZEUG_ERRORS[status] ?? [STATUS_CODES[status] ?? 'Unknown Error', `The server answered ${status}.`];
  return (
    '<!doctype html>\n<html lang=en>\n' +
    `<title>${status} ${escapeHtml(name)}</title>\n` +
    `<h1>${escapeHtml(name)}</h1>\n` +
    `<p>${escapeHtml(description ?? standard)}</p>\n`
  );
}

export function sendHtmlError(res: ServerResponse, status: number, options: { description?: string; headers?: Record<string, string> } = {}): void {
  const body = werkzeugErrorPage(status, options.description);
  res.writeHead(status, {
    ...CORS,
    ...options.headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Flask's automatic OPTIONS answer, plus what flask-cors adds to a preflight. */
export function sendOptions(res: ServerResponse, allow: string, requestedHeaders: string | undefined): void {
  res.writeHead(200, {
    ...CORS,
    Allow: allow,
    'Access-Control-Allow-Methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
    ...(requestedHeaders ? { 'Access-Control-Allow-Headers': requestedHeaders } : {}),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': 0,
  });
  res.end();
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { ...CORS });
  res.end();
}

// Names and descriptions from werkzeug/exceptions.py.
const WERKZEUG_ERRORS: Record<number, [string, string]> = {
  400: ['Bad Request', 'The browser (or proxy) sent a request that this server could not understand.'],
  404: ['Not Found', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.'],
  405: ['Method Not Allowed', 'The method is not allowed for the requested URL.'],
  408: ['Request Timeout', "The server closed the network connection because the browser didn't finish the request within the specified time."],
  409: ['Conflict', 'A conflict happened while processing the request. The resource might have been modified while the request was being processed.'],
  413: ['Request Entity Too Large', 'The data value transmitted exceeds the capacity limit.'],
  415: ['Unsupported Media Type', 'The server does not support the media type transmitted in the request.'],
  422: ['Unprocessable Entity', 'The request was well-formed but was unable to be followed due to semantic errors.'],
  429: ['Too Many Requests', 'This user has exceeded an allotted request count. Try again later.'],
  500: [
    'Internal Server Error',
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
  ],
  501: ['Not Implemented', 'The server does not support the action requested by the browser.'],
  502: ['Bad Gateway', 'The proxy server received an invalid response from an upstream server.'],
  503: [
    'Service Unavailable',
    'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.',
  ],
  504: ['Gateway Timeout', 'The connection to an upstream server timed out.'],
};

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

function escapeUnicode(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// markupsafe.escape
const HTML_ESCAPES: Partial<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
