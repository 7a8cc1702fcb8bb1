/**
 * The shell every generated CI job runs for a stack: init, plan to a saved plan file, show it as JSON
 * (`terraform show -json`), review it (`bin/baseline review`, which fails on a change that weakens a
 * control), and apply that same saved plan when the pipeline applies. POSIX sh, so it runs in GitHub's
 * bash, GitLab's runner shell and Atlantis' `sh -c` alike; each step checks its own exit status because
 * `set -e` does not apply inside a function called from `||` (POSIX, "set -e").
 */

export interface StackScriptOptions {
  /** The synth's output folder, relative to the repository root. */
  readonly outdir: string;
  /** Reviewed exceptions passed to `baseline review --allow-file`. @default - none */
  readonly allowFile?: string;
  /**
   * How long `plan` and `apply` wait for the state lock (S3 lock file) another run holds, instead of
   * failing at once (terraform plan -lock-timeout).
   */
  readonly lockTimeout: string;
  /** GitHub's `::group::` log folding around each stack of a shard. @default false */
  readonly logGroups?: boolean;
}

/** Single-quotes a value for sh: safe for any stack name or path. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `baseline_stack STACK` shell function. It applies only when BASELINE_APPLY is `true`. */
export function stackFunction(o: StackScriptOptions): string {
  const allow = o.allowFile ? ` --allow-file ${shellQuote(o.allowFile)}` : '';
  const lock = `-lock-timeout=${o.lockTimeout}`;
  return [
    'baseline_stack() {',
    '  stack="$1"',
    `  dir=${shellQuote(o.outdir)}/stacks/"$stack"`,
    '  terraform -chdir="$dir" init -input=false -no-color || return $?',
    `  terraform -chdir="$dir" plan -input=false -no-color ${lock} -out=tfplan || return $?`,
    '  terraform -chdir="$dir" show -json tfplan > "$dir/plan.json" || return $?',
    '  review=0',
    `  bin/baseline review "$dir/plan.json" --stack "$stack"${allow} > "$dir/review.md" || review=$?`,
    '  cat "$dir/review.md"',
    '  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$dir/review.md" >> "$GITHUB_STEP_SUMMARY"; fi',
    '  if [ "$review" -ne 0 ]; then',
    '    echo "$stack: baseline review refused the plan (exit $review): not applied" >&2',
    '    return "$review"',
    '  fi',
    '  if [ "${BASELINE_APPLY:-false}" = true ]; then',
    `    terraform -chdir="$dir" apply -input=false -no-color ${lock} tfplan || return $?`,
    '  fi',
    '}',
  ].join('\n');
}

/** Runs one stack (`$STACK`). */
export function oneStackScript(o: StackScriptOptions): string {
  return `${stackFunction(o)}\nbaseline_stack "$STACK"\n`;
}

/**
 * Runs the space-separated stacks of `$STACKS` one after another; a stack that fails does not stop the
 * others (their plans are independent), and the job fails at the end naming every stack that failed.
 */
export function stackListScript(o: StackScriptOptions): string {
  return [
    stackFunction(o),
    'failed=""',
    'for stack in $STACKS; do',
    ...(o.logGroups ? ['  echo "::group::$stack"'] : ['  echo "== $stack"']),
    '  baseline_stack "$stack" || failed="$failed $stack"',
    ...(o.logGroups ? ['  echo "::endgroup::"'] : []),
    'done',
    'if [ -n "$failed" ]; then',
    '  echo "failed:$failed" >&2',
    '  exit 1',
    'fi',
    '',
  ].join('\n');
}

/** Synthesizes only the job's stacks (BASELINE_STACKS takes a comma-separated list: stacks/selection.ts). */
export function synthScript(stacksVariable: 'STACK' | 'STACKS'): string {
  return stacksVariable === 'STACK'
    ? 'BASELINE_STACKS="$STACK" npm run --silent synth'
    : 'BASELINE_STACKS="$(echo $STACKS | tr \' \' \',\')" npm run --silent synth';
}
