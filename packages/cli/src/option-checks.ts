/**
 * Checks of one option's value whose failure names the option as the user typed it (`--nation: …`),
 * not the library field that rejected it: a value check from @hoshimi/astro, a file an option names.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';

/** Runs `check` on an option's value; whatever it throws becomes a USAGE error naming `flag`. */
export function checkOption<T>(flag: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw new CliError('USAGE', `${flag}: ${(e as Error).message}`);
  }
}

/** The text of the file an option names; an unreadable file is a USAGE error naming the option and path. */
export function readOptionFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message;
    throw new CliError('USAGE', `${flag}: cannot read ${path}: ${why}`);
  }
}

/** The Ed25519 key (PEM) in the file an option names; anything else is a USAGE error naming the option. */
export function readEd25519KeyOption(flag: string, path: string, kind: 'private' | 'public'): KeyObject {
  const text = readOptionFile(flag, path);
  let key: KeyObject;
  try {
    key = kind === 'private' ? createPrivateKey(text) : createPublicKey(text);
  } catch {
    throw new CliError('USAGE', `${flag}: ${path} does not hold a PEM ${kind} key`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new CliError(
      'USAGE',
      `${flag}: ${path} holds a ${key.asymmetricKeyType} key, not an Ed25519 ${kind} key`,
    );
  return key;
}
