/**
 * The token-stack-trace switch replaces an export of a private cdktf module (synth/token-stack-traces.ts).
 * These tests fail if the pinned cdktf changes underneath it: another version, another capture
 * function, or a caller that no longer reads the export at call time.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Lazy, type IResolvable } from 'cdktf';
import {
  debugTokensRequested,
  setTokenStackTraces,
  STACK_TRACE_MODULE,
  tokenStackTracesEnabled,
  VERIFIED_CDKTF_VERSION,
} from '../../synth/token-stack-traces';

const CDKTF_LIB = dirname(require.resolve('cdktf'));

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsFiles(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : [],
  );
}

const creationStack = (token: IResolvable) => token.creationStack;

describe('cdktf token creation stacks', () => {
  afterEach(() => setTokenStackTraces(true));

  test('the installed cdktf is the version the patch was verified against', () => {
    expect((require('cdktf/package.json') as { version: string }).version).toBe(VERIFIED_CDKTF_VERSION);
    expect(require.resolve(STACK_TRACE_MODULE)).toBe(join(CDKTF_LIB, 'tokens', 'private', 'stack-trace.js'));
    // The module replaced, byte for byte as verified (its source map comment included).
    const sha = createHash('sha256').update(readFileSync(require.resolve(STACK_TRACE_MODULE))).digest('hex');
    expect(sha).toBe('48139050d4e88e62c8dfa7a50c5e829b99d655e0255de563c25abae59162e353');
  });

  test('every caller of captureStackTrace in cdktf reads it from that module at call time', () => {
    const callers = jsFiles(CDKTF_LIB).filter((f) => !f.endsWith(join('private', 'stack-trace.js')));
    const calls = callers.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^.*captureStackTrace.*$/gm)].map((m) => `${file.slice(CDKTF_LIB.length + 1)}: ${m[0].trim()}`),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatch(/^[\w/-]+\.js: this\.creationStack = \(0, stack_trace_1\.captureStackTrace\)\(\);$/);
    expect(calls.map((c) => c.slice(0, c.indexOf(':'))).sort()).toEqual([
      'complex-computed-list.js',
      'terraform-dynamic-block.js',
      'terraform-dynamic-expression.js',
      'tokens/lazy.js',
      'tokens/private/intrinsic.js',
    ]);
  });

  test('off: tokens record no creation stack; on: they do', () => {
    setTokenStackTraces(false);
    expect(tokenStackTracesEnabled()).toBe(false);
    expect(creationStack(Lazy.anyValue({ produce: () => 1 }) as IResolvable)).toEqual([]);
    setTokenStackTraces(true);
    expect(tokenStackTracesEnabled()).toBe(true);
    expect(creationStack(Lazy.anyValue({ produce: () => 1 }) as IResolvable).length).toBeGreaterThan(0);
  });

  test('off by default; BASELINE_DEBUG_TOKENS=1 turns them on', () => {
    expect(debugTokensRequested({})).toBe(false);
    expect(debugTokensRequested({ BASELINE_DEBUG_TOKENS: '0' })).toBe(false);
    expect(debugTokensRequested({ BASELINE_DEBUG_TOKENS: '1' })).toBe(true);
    expect(debugTokensRequested({ BASELINE_DEBUG_TOKENS: 'true' })).toBe(true);
  });
});
