/**
 * cdktf resolves every element of a stack twice: once in `TerraformStack.prepareStack()` ("preparing"),
 * whose only effect in cdktf 0.21.0 is to find cross-stack references (`Reference.resolve` in
 * cdktf/lib/tfExpression.js, the one reader of `context.preparing`) and add the outputs and remote
 * state they need, then again to write the JSON. The baseline's stacks never reference each other
 * (what they share is derived from the config, README "Architecture"), so synth skips the first pass,
 * about 30% of a stack's synth time, keeping what else `prepareStack` does: adding the default local
 * backend. Byte-identity tests (`__tests__/synth/parallel-synth.test.ts`) compare the result with
 * cdktf's own synth, and `__tests__/synth/cross-stack-pass.test.ts` fails if the pinned cdktf changes
 * `prepareStack` or reads `preparing` anywhere else.
 */
import type { TerraformStack } from 'cdktf';

interface PreparableStack {
  prepareStack(): void;
  /** Private in cdktf's types: adds a LocalBackend when the stack declares none. */
  ensureBackendExists(): void;
}

/** Makes `stack.prepareStack()` do only what the baseline needs of it: ensure a backend. */
export function skipCrossStackPass(stack: TerraformStack): void {
  const preparable = stack as unknown as PreparableStack;
  preparable.prepareStack = () => preparable.ensureBackendExists();
}
