import assert from 'node:assert/strict';
import { parseBaseUrl } from '../../src/prolific/baseUrl';

function ok(value: string): string {
  const result = parseBaseUrl(value);
  assert.ok(result.ok, `expected ${value} to be accepted: ${result.ok ? '' : result.message}`);
  return result.url.href;
}

function rejected(value: string): string {
  const result = parseBaseUrl(value);
  assert.ok(!result.ok, `expected ${value} to be rejected`);
  assert.match(result.message, /^The setting "prolific\.apiBaseUrl" /);
  assert.match(result.message, /\.$/);
  return result.message;
}

describe('parseBaseUrl', () => {
  it('accepts the real API and normalises to a trailing slash', () => {
    assert.equal(ok('https://api.prolific.com'), 'https://api.prolific.com/');
    assert.equal(ok('  https://api.prolific.com/  '), 'https://api.prolific.com/');
    assert.equal(ok('https://API.Prolific.com:443//'), 'https://api.prolific.com/');
  });

  it('keeps a path prefix and drops a trailing /api/v1 the client adds itself', () => {
    assert.equal(ok('https://proxy.example.org/prolific'), 'https://proxy.example.org/prolific/');
    assert.equal(ok('https://proxy.example.org/prolific/'), 'https://proxy.example.org/prolific/');
    assert.equal(ok('https://api.prolific.com/api/v1/'), 'https://api.prolific.com/');
    assert.equal(ok('https://proxy.example.org/p/api/v1'), 'https://proxy.example.org/p/');
  });

  it('allows http only for loopback hosts', () => {
    assert.equal(ok('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/');
    assert.equal(ok('http://127.3.2.1'), 'http://127.3.2.1/');
    assert.equal(ok('http://localhost:3000/'), 'http://localhost:3000/');
    assert.equal(ok('http://LOCALHOST'), 'http://localhost/');
    assert.equal(ok('http://[::1]:9000'), 'http://[::1]:9000/');
    const message = rejected('http://example.com');
    assert.equal(message, 'The setting "prolific.apiBaseUrl" must use https (http is allowed only for localhost): "http://example.com".');
    rejected('http://128.0.0.1');
    rejected('http://localhost.example.com');
    rejected('http://127.0.0.1.nip.io');
    rejected('http://[::2]');
  });

  it('rejects other schemes', () => {
    for (const value of ['ftp://api.prolific.com', 'file:///etc/passwd', 'ws://localhost', 'javascript:alert(1)']) rejected(value);
  });

  it('rejects credentials without repeating them', () => {
    for (const value of ['https://user:hunter2@api.prolific.com', 'https://user@api.prolific.com', 'http://u:hunter2@localhost']) {
      const message = rejected(value);
      assert.ok(!message.includes('hunter2'), message);
      assert.match(message, /user name or password/);
    }
  });

  it('rejects a query or fragment', () => {
    assert.match(rejected('https://api.prolific.com/?x=1'), /query or fragment/);
    assert.match(rejected('https://api.prolific.com/#top'), /query or fragment/);
  });

  it('explains empty and unparsable values', () => {
    assert.match(rejected(''), /is empty/);
    assert.match(rejected('   '), /is empty/);
    assert.match(rejected('api.prolific.com'), /not a valid URL: "api\.prolific\.com"/);
    assert.match(rejected('https://'), /not a valid URL/);
  });

  it('caps a very long value in the message', () => {
    const message = rejected(`http://example.com/${'a'.repeat(5000)}`);
    assert.ok(message.length < 300, `${message.length}`);
  });
});
