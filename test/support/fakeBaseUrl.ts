// The fake's address as the client takes it (parseBaseUrl), for tests of the client against the fake.
import assert from 'node:assert/strict';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import type { FakeProlific } from '../fake-prolific/server';

export function baseUrlOf(fake: FakeProlific): URL {
  const parsed = parseBaseUrl(fake.url);
  assert.ok(parsed.ok, `the fake's address ${fake.url} is a base URL`);
  return parsed.url;
}
