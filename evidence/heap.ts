/**
 * How far V8 lets its heap grow past what is live, for the long-running evidence commands.
 *
 * After each full garbage collection V8 sets the next one's trigger at the live size times a growing
 * factor of up to 4, reached when the heap limit is large, as node's default limit is on a machine of a
 * few GB (`MaxGrowingFactor` returns `kHighFactor = 4.0` from `kMaxSize` up and less below, in V8's
 * src/heap/heap-controller.cc, as vendored in nodejs/node
 * deps/v8/src/heap/heap-controller.cc). A collection allocates at a steady pace for half an hour (every
 * response parsed, canonicalized, written), so it takes all of that headroom: 150 MB live made a 430 MB
 * heap, and 850 MB RSS, at 100 accounts x 17 Regions (docs/evidence.md, Performance). The same file's
 * `GrowingFactor` replaces the factor by `1 + heap_growing_percent / 100` when V8's
 * `--heap-growing-percent` flag is set, and reads the flag at every collection, so setting it at run
 * time takes effect from the next one. It bounds the heap's growth without capping it: a run that
 * needs more memory gets it, a little more often collected (no out-of-memory crash at an arbitrary limit).
 */
import { setFlagsFromString } from 'node:v8';

/** The heap's growth past its live size after a full collection, percent (V8's own default reaches 300). */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's `--heap-growing-percent` to HEAP_GROWING_PERCENT for this process, unless node was started
 * with its own (`node --heap-growing-percent=N`, which then stands). Returns the flag it set, if any.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): string | undefined {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return undefined;
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  setFlagsFromString(flag);
  return flag;
}
