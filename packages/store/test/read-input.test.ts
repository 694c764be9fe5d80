/**
 * The first pass over an import's bytes against hostile input: a gzip bomb stops at the content
 * limit instead of inflating to the end (the import then refuses it with INPUT_TOO_LARGE).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_CONTENT_BYTES, scanInput } from '../src/read-input.js';

/** 64 MiB of zeros gzip to about 64 KiB: a small bomb. */
const BOMB = gzipSync(Buffer.alloc(64 * 1024 ** 2));
const ONE_MIB = 1024 ** 2;

describe('scanInput limits', () => {
  it('stops a gzip bomb at the limit and says so', async () => {
    expect(BOMB.length).toBeLessThan(ONE_MIB);
    const scan = await scanInput(BOMB, { maxBytes: ONE_MIB });
    expect(scan.kind).toBe('too-large');
    expect(scan.gzip).toBe(true);
    expect(Number(scan.detail)).toBe(ONE_MIB);
    // It read past the limit by at most one decompressor chunk.
    expect(scan.size).toBeLessThan(ONE_MIB + 128 * 1024);
  });

  it('reads content up to the limit as before', async () => {
    const text = Buffer.from('ISS (ZARYA)\n'.repeat(1000));
    const scan = await scanInput(gzipSync(text), { maxBytes: text.length });
    expect(scan.kind).toBe('text');
    expect(scan.size).toBe(text.length);
    expect(MAX_CONTENT_BYTES).toBeGreaterThan(1024 ** 3);
  });
});
