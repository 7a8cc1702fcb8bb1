/**
 * A synth worker process (forked by `parallel-synth.ts`): receives the validated config once, then
 * batches of stack names; builds each into its staging folder and answers with what it built. It
 * retires once its heap passes a budget, because cdktf keeps every token it ever created in a
 * process-wide map (and through it the constructs): a fresh process is the only way to free them.
 * Every failure, loading the stack code included, is sent to the parent, which reports the first one
 * only: a bug that fails every worker is printed once.
 */
import type { BaselineConfig } from '../config/schema';
import type { BuiltStack, buildStacks as BuildStacks } from './build-stacks';
import { setTokenStackTraces } from './token-stack-traces';

export type ToWorker =
  | { readonly type: 'init'; readonly config: BaselineConfig; readonly stagingDir: string; readonly outdir: string; readonly debugTokens: boolean; readonly heapBudgetBytes: number }
  | { readonly type: 'build'; readonly stacks: readonly string[] };

export type FromWorker =
  | { readonly type: 'built'; readonly stacks: readonly BuiltStack[]; readonly retiring: boolean }
  | { readonly type: 'failed'; readonly stack: string; readonly message: string; readonly detail: string };

let init: Extract<ToWorker, { type: 'init' }> | undefined;
let current = '(loading the stack code)';

function send(message: FromWorker): void {
  process.send!(message);
}

function fail(e: unknown): void {
  const error = e instanceof Error ? e : new Error(String(e));
  send({ type: 'failed', stack: current, message: error.message, detail: error.stack ?? error.message });
}

process.on('uncaughtException', (e) => {
  fail(e);
  process.exitCode = 1;
  process.disconnect?.();
});

process.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    init = message;
    setTokenStackTraces(message.debugTokens);
    return;
  }
  if (!init) throw new Error('synth worker: build before init');
  // Loaded here, not imported, so that an error in the stack code reaches the parent as a failure.
  current = '(loading the stack code)';
  const { buildStacks } = require('./build-stacks') as { buildStacks: typeof BuildStacks };
  const built: BuiltStack[] = [];
  for (const stack of message.stacks) {
    current = stack;
    built.push(...buildStacks(init.config, [stack], init.stagingDir, init.outdir));
  }
  const retiring = process.memoryUsage().heapUsed > init.heapBudgetBytes;
  send({ type: 'built', stacks: built, retiring });
  if (retiring) process.disconnect?.();
});
