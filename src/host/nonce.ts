// The CSP nonce of a page render (src/host/webviewHost.ts). Apart from webviewHost because it is
// plain Node (no vscode import), so it can be unit-tested.
import { randomBytes } from 'node:crypto';

/** 32 hex characters (128 random bits): a CSP nonce an injected script cannot guess. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}
