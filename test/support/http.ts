/* eslint-disable @typescript-eslint/no-explicit-any -- a test reads a body untyped unless it names a type; its assertions check the shape */
/** Small fetch wrappers for end-to-end tests: JSON in, {status, body} out. */
export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function client(base: string) {
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => request<T>(base, 'GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>(base, 'POST', path, body, headers),
    patch: <T = any>(path: string, body?: unknown) => request<T>(base, 'PATCH', path, body),
    delete: <T = any>(path: string, body?: unknown) => request<T>(base, 'DELETE', path, body),
  };
}

/** Polls `check` until it returns a value (not undefined/false) or the time runs out. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

/** A distinct valid North American number per index (area code 415, exchange 555-01xx..). */
export function phoneNumber(index: number): string {
  return `+1415${String(2000000 + index).padStart(7, '0')}`;
}
