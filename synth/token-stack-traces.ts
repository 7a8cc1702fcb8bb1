/**
 * cdktf records a full stack trace (no depth limit) for every token it creates (Lazy, Intrinsic,
 * dynamic blocks and expressions): `creationStack`, used only to say where a token came from in the
 * error about a token that cannot be resolved. For a 17-Region member stack that is tens of thousands
 * of traces, about half of synth's CPU, plus their formatting through source maps under tsx, and most
 * of its memory. The output does not depend on them, so synth turns them off and
 * `BASELINE_DEBUG_TOKENS=1` turns them back on for debugging such an error.
 *
 * cdktf 0.21.0 offers no switch for these traces (`AppConfig.stackTraces` covers annotation metadata
 * only), so this replaces the export of its private module `cdktf/lib/tokens/private/stack-trace`,
 * which every caller reads at call time (`(0, stack_trace_1.captureStackTrace)()`).
 * `__tests__/synth/token-stack-traces.test.ts` fails if the pinned cdktf changes underneath this.
 */

/** The cdktf version this patch was verified against: the test fails on any other. */
export const VERIFIED_CDKTF_VERSION = '0.21.0';

/** The module whose export is replaced, as `require` resolves it. */
export const STACK_TRACE_MODULE = 'cdktf/lib/tokens/private/stack-trace';

type CaptureStackTrace = (below?: (...args: never[]) => unknown) => string[];

interface StackTraceModule {
  captureStackTrace: CaptureStackTrace;
}

const stackTraceModule = require(STACK_TRACE_MODULE) as StackTraceModule;
const original: CaptureStackTrace = stackTraceModule.captureStackTrace;
const noTrace: CaptureStackTrace = () => [];

/** Whether `BASELINE_DEBUG_TOKENS` asks for token creation stacks (`1` or `true`). */
export function debugTokensRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true)$/i.test(env.BASELINE_DEBUG_TOKENS ?? '');
}

/**
 * Turns cdktf's token creation stacks on or off for this process, from now on.
 * @param enabled @default debugTokensRequested(): off unless `BASELINE_DEBUG_TOKENS=1`
 */
export function setTokenStackTraces(enabled: boolean = debugTokensRequested()): void {
  stackTraceModule.captureStackTrace = enabled ? original : noTrace;
}

/** Whether tokens created now record their creation stack. */
export function tokenStackTracesEnabled(): boolean {
  return stackTraceModule.captureStackTrace === original;
}
