// How the real Flask handler judges a POST /api/call body. It is, in effect:
//   data = request.get_json()                      # 415 / 400 HTML page when not JSON
//   if not data or 'phone_number' not in data:     -> 400 "phone_number is required"
//   if not data['phone_number'] or len(...) < 10:  -> 400 "Invalid phone number"
// Python's truthiness, `in` and `len` decide the odd cases; a TypeError there is a 500 HTML page.

export type CreateCallInput =
  | { kind: 'ok'; phoneNumber: string }
  | { kind: 'json-error'; status: 400; error: string }
  | { kind: 'html-error'; status: 400 | 415 | 500; description?: string };

const NOT_JSON_TYPE = "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.";
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseCreateCall(contentType: string | undefined, body: Buffer): CreateCallInput {
  if (!isJsonMimetype(contentType)) return { kind: 'html-error', status: 415, description: NOT_JSON_TYPE };
  let data: unknown;
  try {
    data = JSON.parse(utf8.decode(body));
  } catch {
    // Flask hides the decoder's message unless in debug mode: the standard 400 page.
    return { kind: 'html-error', status: 400 };
  }

  const required = { kind: 'json-error', status: 400, error: 'phone_number is required' } as const;
  const invalid = { kind: 'json-error', status: 400, error: 'Invalid phone number' } as const;
  const typeError = { kind: 'html-error', status: 500 } as const;

  if (isFalsy(data)) return required;
  if (typeof data === 'number' || typeof data === 'boolean') return typeError; // `in` on an int
  if (typeof data === 'string' || Array.isArray(data)) {
    // `'phone_number' in data` can be true for a str or list; indexing it by a str then fails.
    return data.includes('phone_number') ? typeError : required;
  }
  const object = data as Record<string, unknown>;
  if (!Object.hasOwn(object, 'phone_number')) return required;

  const phone = object.phone_number;
  if (isFalsy(phone)) return invalid;
  if (typeof phone === 'string') return Array.from(phone).length < 10 ? invalid : { kind: 'ok', phoneNumber: phone };
  // len() of a list or dict works, so a short one is merely "invalid"; a long one the real API would
  // store as is: the stand-in keeps phone numbers as strings and answers 500 instead (documented).
  if (Array.isArray(phone)) return phone.length < 10 ? invalid : typeError;
  if (typeof phone === 'object' && phone !== null) return Object.keys(phone).length < 10 ? invalid : typeError;
  return typeError; // len() of an int or bool
}

// Werkzeug's Request.is_json.
function isJsonMimetype(contentType: string | undefined): boolean {
  const mimetype = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  return mimetype === 'application/json' || (mimetype.startsWith('application/') && mimetype.endsWith('+json'));
}

function isFalsy(value: unknown): boolean {
  if (value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}
