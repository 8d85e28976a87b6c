import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 (and IPv4-mapped loopback), localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Start-up refuses to serve an API that anyone on the network could use: a non-loopback HOST
 * with no key issued and no AUTH_TOKEN, unless ALLOW_OPEN_API=true says it is meant.
 * Returns the refusal, or null when listening is fine.
 */
export function openApiRefusal(options: { host: string; authRequired: boolean; allowOpenApi: boolean }): string | null {
  if (options.authRequired || options.allowOpenApi || isLoopback(options.host)) return null;
  return (
    `refusing to listen on ${options.host}: no API key exists and AUTH_TOKEN is not set, so anyone who can reach ` +
    'this address could schedule and cancel calls. Create a key (npm run keys -- create --name NAME --role admin), ' +
    'set AUTH_TOKEN (32+ characters), listen on loopback (HOST=127.0.0.1), or set ALLOW_OPEN_API=true if the network in front of it does the access control.'
  );
}
