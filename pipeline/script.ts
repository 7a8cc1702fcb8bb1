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


/**
 * The providers a synthesized stack may use: every stack of the baseline declares `aws` alone (its
 * `terraform.required_providers` and `provider`; checked on a synthesized stack by __tests__/pipeline).
 * Each `resource` and `data` type must start with one of them and `_`.
 */
export const ALLOWED_PROVIDERS = ['aws'] as const;

/** The registry sources `required_providers` may give an allowed provider (Terraform's short and full forms). */
export function allowedSources(provider: string): string[] {
  return [provider, `hashicorp/${provider}`, `registry.terraform.io/hashicorp/${provider}`];
}

/** The top-level blocks a stack's cdk.tf.json may hold; `module`, `check`, `ephemeral`, ... are refused. */
export const ALLOWED_TOP_LEVEL_BLOCKS = ['//', 'terraform', 'provider', 'resource', 'data', 'variable', 'output', 'locals'] as const;

/**
 * The JavaScript of the providers check, run with `node -e SCRIPT FILE LABEL`: it refuses (exit 1,
 * naming them) a cdk.tf.json that declares a provider other than ALLOWED_PROVIDERS (in
 * `terraform.required_providers`, or with another registry source, or in `provider`), a `resource` or
 * `data` type of another provider (`data "external"` runs a program during `terraform plan`) or of
 * another provider configuration (`provider = "external"`, which Terraform would install), a
 * provisioner (`local-exec` runs a command during apply), a top-level block outside
 * ALLOWED_TOP_LEVEL_BLOCKS (a `module` could bring any of these), a value of another shape than the
 * synth writes (HCL's JSON syntax also reads arrays of blocks), or a duplicated object key (JSON.parse
 * keeps the last; HCL's JSON syntax reads every one). Inline, so it does not run the pull request's
 * own `bin/`: in Atlantis only the workflow is server-side. No single quote: it is single-quoted for sh.
 */
export function providersCheckJs(): string {
  const allowed = JSON.stringify(ALLOWED_PROVIDERS);
  const sources = JSON.stringify(Object.fromEntries(ALLOWED_PROVIDERS.map((p) => [p, allowedSources(p)])));
  const top = JSON.stringify(ALLOWED_TOP_LEVEL_BLOCKS);
  return [
    'const [f, label] = process.argv.slice(1); const bad = [];',
    `const ok = ${allowed}, sources = ${sources}, top = ${top};`,
    'const obj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);',
    'let text = ""; try { text = require("fs").readFileSync(f, "utf8"); } catch (e) { bad.push("cannot read it: " + e.message); }',
    // Duplicate keys, which JSON.parse would hide: a scan of the tokens, one key set per open object.
    'const stack = []; for (const m of text.matchAll(/"(?:[^"\\\\]|\\\\.)*"|[{}\\[\\]:,]/g)) { const t = m[0], o = stack[stack.length - 1];',
    '  if (t === "{") stack.push({ keys: new Set(), key: true }); else if (t === "[") stack.push(null); else if (t === "}" || t === "]") stack.pop();',
    '  else if (t === ":") { if (o) o.key = false; } else if (t === ",") { if (o) o.key = true; }',
    '  else if (o && o.key) { const k = JSON.parse(t); if (o.keys.has(k)) bad.push("duplicate key " + k); o.keys.add(k); } }',
    'let j = {}; try { j = JSON.parse(text); } catch (e) { bad.push("not JSON: " + e.message); }',
    'if (!obj(j)) { bad.push("not a JSON object"); j = {}; }',
    'for (const k of Object.keys(j)) if (!top.includes(k)) bad.push("block " + k);',
    'for (const k of ["terraform", "provider", "resource", "data"]) if (j[k] !== undefined && !obj(j[k])) bad.push(k + " is not an object");',
    'const tf = obj(j.terraform) ? j.terraform : {}, rp = tf.required_providers === undefined ? {} : tf.required_providers;',
    'if (!obj(rp)) bad.push("terraform.required_providers is not an object");',
    'for (const [n, v] of Object.entries(obj(rp) ? rp : {})) { if (!ok.includes(n)) bad.push("provider " + n + " (required_providers)");',
    '  else if (!obj(v) && typeof v !== "string") bad.push("provider " + n + " (required_providers) is not an object");',
    '  else if (obj(v) && v.source !== undefined && (typeof v.source !== "string" || !sources[n].includes(v.source.toLowerCase()))) bad.push("provider " + n + " with source " + JSON.stringify(v.source)); }',
    'for (const n of Object.keys(obj(j.provider) ? j.provider : {})) if (!ok.includes(n)) bad.push("provider " + n);',
    'for (const kind of ["resource", "data"]) for (const [type, all] of Object.entries(obj(j[kind]) ? j[kind] : {})) {',
    '  if (!ok.some((p) => type.startsWith(p + "_"))) bad.push(kind + " " + type);',
    '  if (!obj(all)) { bad.push(kind + " " + type + " is not an object"); continue; }',
    '  for (const [name, body] of Object.entries(all)) if (!obj(body)) bad.push(kind + " " + type + "." + name + " is not an object"); else {',
    '    if (body.provisioner !== undefined) bad.push("provisioner of " + kind + " " + type + "." + name);',
    '    const pv = body.provider; if (pv !== undefined && !(typeof pv === "string" && ok.some((p) => pv === p || pv.startsWith(p + ".")))) bad.push("provider " + JSON.stringify(pv) + " of " + kind + " " + type + "." + name); } }',
    'if (bad.length > 0) { console.error(label + ": " + f + " declares what no stack of the baseline does: " + [...new Set(bad)].join(", ") + " - refusing to run terraform; a stack uses only the providers " + ok.join(", ")); process.exit(1); }',
  ].join('\n');
}

/**
 * Shell that fails (exit 1) when `$fileExpr` (a stack's cdk.tf.json) declares another provider than
 * ALLOWED_PROVIDERS, or a resource or data source of one (providersCheckJs): before `terraform init`,
 * which would download it, and `plan`, which would run it.
 */
export function providersCheck(fileExpr: string, label: string): string {
  return `node -e '${providersCheckJs()}' ${fileExpr} "${label}" || { return 1 2>/dev/null || exit 1; }`;
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
    providersCheck('"$dir/cdk.tf.json"', '$stack').replace(/^/gm, '  '),
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
    providersCheck('"$dir/cdk.tf.json"', '$stack').replace(/^/gm, '  '),
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
