import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// A stamp is a tiny file read and written once per build: synchronously, because the promise
// API's file handles cost more CPU than the I/O, on the thread every build of a batch shares.

/** The stamp's text, or undefined when it is missing or unreadable. */
export function readStamp(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Best effort: a stamp that cannot be written only means the check it saves runs again. */
export function writeStamp(file: string, value: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, value);
  } catch {
    /* see above */
  }
}
