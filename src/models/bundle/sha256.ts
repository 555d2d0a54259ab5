// sha256 of bytes, as bundle manifests and file records hold it (hex).
import { createHash } from 'node:crypto';

/** sha256 (hex) of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
