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
  /**
   * `deployment.planRoleName`: a run that does not apply (BASELINE_APPLY not `true`) exports
   * `TF_VAR_deployment_role_name` with it, so every provider assumes the read-only plan role; a run
   * that applies unsets it, so the providers assume `deployment.roleName` (the variable's default).
   */
  readonly planRoleName: string;
}

/**
 * The Terraform files a stack folder may hold: the synth writes `cdk.tf.json` alone. Any other file
 * Terraform reads from the working directory would change what is planned and applied: `*.tf` and
 * `*.tf.json` files are loaded with it, `*_override.tf(.json)` and `override.tf(.json)` merge over it
 * (Terraform language, "Override Files", https://developer.hashicorp.com/terraform/language/files/override),
 * `terraform.tfvars(.json)` and `*.auto.tfvars(.json)` set variables (Terraform language, "Variable
 * Definitions (.tfvars) Files", https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files),
 * and OpenTofu reads `*.tofu`/`*.tofu.json`. `.terraformrc`/`terraform.rc` (CLI configuration) are
 * refused as well. The patterns, for `find -name`.
 */
export const STRAY_TERRAFORM_PATTERNS = ['*.tf', '*.tf.json', '*.tofu', '*.tofu.json', '*_override.*', 'override.*', '*.tfvars', '*.tfvars.*', '.terraformrc', 'terraform.rc'] as const;

/**
 * Shell that fails (exit 1) when the folder `$dirVar` holds a Terraform file other than `cdk.tf.json`,
 * naming the files: before `terraform init`, so a committed or planted file never runs.
 */
export function strayFilesCheck(dirExpr: string, label: string): string {
  const names = STRAY_TERRAFORM_PATTERNS.map((p) => `-name '${p}'`).join(' -o ');
  return [
    `stray=$(cd ${dirExpr} && find . -maxdepth 1 ! -type d \\( ${names} \\) ! -name cdk.tf.json | sed 's|^\\./||' | sort | tr '\\n' ' ')`,
    `if [ -n "$stray" ]; then echo "${label}: ${dirExpr} holds Terraform files the synth did not write: $stray- refusing to run terraform; only cdk.tf.json belongs there (remove them, and never commit the synth output)" >&2; return 1 2>/dev/null || exit 1; fi`,
  ].join('\n');
}


/** Single-quotes a value for sh: safe for any stack name or path. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The role the providers assume: with BASELINE_APPLY `true`, the variable is unset, so each stack's
 * `deployment_role_name` keeps its default, `deployment.roleName`; otherwise the run only plans, with
 * `deployment.planRoleName` (config/plan-role.ts).
 */
function roleLines(o: StackScriptOptions): string[] {
  return [
    '  if [ "${BASELINE_APPLY:-false}" = true ]; then',
    '    unset TF_VAR_deployment_role_name',
    '  else',
    `    export TF_VAR_deployment_role_name=${shellQuote(o.planRoleName)}`,
    '  fi',
  ];
}

/** The `baseline_stack STACK` shell function. It applies only when BASELINE_APPLY is `true`. */
export function stackFunction(o: StackScriptOptions): string {
  const allow = o.allowFile ? ` --allow-file ${shellQuote(o.allowFile)}` : '';
  const lock = `-lock-timeout=${o.lockTimeout}`;
  return [
    'baseline_stack() {',
    '  stack="$1"',
    `  dir=${shellQuote(o.outdir)}/stacks/"$stack"`,
    strayFilesCheck('"$dir"', '$stack').replace(/^/gm, '  '),
    ...roleLines(o),
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

/**
 * The `baseline_destroy STACK ACCOUNT_ID` shell function, for a stack of `removedMembers`: a destroy plan
 * (`terraform plan -destroy`), reviewed with `baseline review --destroy` (which accepts the deletion of
 * the stack's controls only for a destroy plan of a removed member of $BASELINE_CONFIG that deletes from
 * that account), applied only when BASELINE_APPLY is `true`; then it says to record the destroy in the
 * config. A stack whose state is empty (`terraform state list` prints nothing) is not planned: either it
 * was destroyed already, or the backend key is not the stack's; the job fails, saying so.
 */
export function destroyFunction(o: StackScriptOptions): string {
  const allow = o.allowFile ? ` --allow-file ${shellQuote(o.allowFile)}` : '';
  const lock = `-lock-timeout=${o.lockTimeout}`;
  const config = '${BASELINE_CONFIG:-baseline.config.yaml}';
  return [
    'baseline_destroy() {',
    '  stack="$1"',
    '  account="$2"',
    `  dir=${shellQuote(o.outdir)}/stacks/"$stack"`,
    strayFilesCheck('"$dir"', '$stack').replace(/^/gm, '  '),
    ...roleLines(o),
    '  terraform -chdir="$dir" init -input=false -no-color || return $?',
    '  resources=$(terraform -chdir="$dir" state list) || return $?',
    '  if [ -z "$resources" ]; then',
    `    echo "$stack: its state is empty: nothing to destroy, nothing applied. If account $account was destroyed already, record it: bin/baseline remove --account-id $account --destroyed --config ${config}, and commit the config; otherwise the backend (state key) of $dir is not the stack's: check state in the config." >&2`,
    '    return 1',
    '  fi',
    `  terraform -chdir="$dir" plan -destroy -input=false -no-color ${lock} -out=tfplan || return $?`,
    '  terraform -chdir="$dir" show -json tfplan > "$dir/plan.json" || return $?',
    '  review=0',
    `  bin/baseline review "$dir/plan.json" --stack "$stack" --destroy${allow} > "$dir/review.md" || review=$?`,
    '  cat "$dir/review.md"',
    '  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$dir/review.md" >> "$GITHUB_STEP_SUMMARY"; fi',
    '  if [ "$review" -ne 0 ]; then',
    '    echo "$stack: baseline review refused the destroy plan (exit $review): not destroyed" >&2',
    '    return "$review"',
    '  fi',
    '  if [ "${BASELINE_APPLY:-false}" = true ]; then',
    `    terraform -chdir="$dir" apply -input=false -no-color ${lock} tfplan || return $?`,
    `    echo "$stack destroyed. Now record it: run bin/baseline remove --account-id $account --destroyed --config ${config} and commit the config."`,
    '  else',
    '    echo "$stack: destroy planned and reviewed; a pipeline of the apply branch destroys it."',
    '  fi',
    '}',
  ].join('\n');
}

/** Destroys one removed member's stack (`$STACK` of account `$ACCOUNT_ID`). */
export function destroyScript(o: StackScriptOptions): string {
  return `${destroyFunction(o)}\nbaseline_destroy "$STACK" "$ACCOUNT_ID"\n`;
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

/**
 * Shell that fails when the output folder has files tracked by git (`git ls-files -- <outdir>`): the
 * synth output is never committed (`.gitignore`), as a committed file would run in a stack's folder
 * and would make `--changed-only` skip a stack whose committed output looks unchanged.
 */
export function trackedOutputCheck(outdir: string): string {
  const q = shellQuote(outdir);
  return `tracked=$(git ls-files -- ${q} | head -n 20); if [ -n "$tracked" ]; then echo "${outdir} has files tracked by git: $(echo $tracked) - refusing: the synth output is never committed; run git rm -r --cached ${q} and commit" >&2; exit 1; fi`;
}

/** Synthesizes only the job's stacks (BASELINE_STACKS takes a comma-separated list: stacks/selection.ts). */
export function synthScript(stacksVariable: 'STACK' | 'STACKS'): string {
  return stacksVariable === 'STACK'
    ? 'BASELINE_STACKS="$STACK" npm run --silent synth'
    : 'BASELINE_STACKS="$(echo $STACKS | tr \' \' \',\')" npm run --silent synth';
}
