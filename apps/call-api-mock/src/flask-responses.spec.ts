import { flaskJson, werkzeugErrorPage } from './flask-responses.js';

describe('flaskJson', () => {
  it('sorts keys at every depth, compact, with a trailing newline', () => {
    expect(flaskJson({ success: true, call: { status: 'x', id: 'y', duration: null } })).toBe(
      '{"call":{"duration":null,"id":"y","status":"x"},"success":true}\n',
    );
  });

  it('escapes non-ASCII like Python json.dumps(ensure_ascii=True)', () => {
    expect(flaskJson({ error: 'café ☎ 😀' })).toBe('{"error":"caf\\u00e9 \\u260e \\ud83d\\ude00"}\n');
  });
});

describe('werkzeugErrorPage', () => {
  it('renders the Werkzeug page for a status', () => {
    expect(werkzeugErrorPage(404)).toBe(
      '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
        '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n',
    );
  });

  it('escapes the description like markupsafe', () => {
    expect(werkzeugErrorPage(415, "not 'application/json' <here>")).toContain('<p>not &#39;application/json&#39; &lt;here&gt;</p>');
  });

  it('still renders a page for a status Werkzeug has no text for', () => {
    expect(werkzeugErrorPage(599)).toContain('<title>599 Unknown Error</title>');
    expect(werkzeugErrorPage(507)).toContain('<title>507 Insufficient Storage</title>');
  });
});
