/**
 * `make bench`: synth at scale. For orgs of N accounts × R Regions generated from the example
 * (bench/generate-org.ts), measures, as a pipeline runs them:
 *
 * - full synth: `node dist/main.js` into an empty output folder;
 * - incremental synth: the same again after one member's entry changed;
 * - one-stack synth: `BASELINE_STACKS=member-<id>` into an empty output folder;
 * - vend: `bin/baseline vend` of a new account, into the output folder of the full synth;
 *
 * each with its wall time, its CPU time (user + system seconds of the command and every process it
 * waited for, from bash's `times`: unlike wall time, it does not depend on what else the machine is
 * doing), the peak RSS of the largest process of its tree (sampled from /proc, so
 * Linux only), the stacks written and the resources per second (resources in the stacks written ÷
 * wall time). Prints a Markdown table and the machine it ran on.
 *
 *   tsx bench/run.ts [5x3,100x17,1000x17]    (dist/ must be built: `make bench` does it)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, parseSizes } from './common';
import { generatedAccountId, generateOrgYaml } from './generate-org';
import { highWaterMark } from './proc';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'main.js');
const BASELINE = join(ROOT, 'bin', 'baseline');
const SAMPLE_MS = 50;

interface Measurement {
  readonly wallSeconds: number;
  /** User + system CPU seconds of the command and its descendants (all reaped before it exits). */
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly stdout: string;
}

/** The pids of `pid` and its descendants, from /proc. */
function tree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    // Gone already.
  }
  return [pid, ...children.flatMap(tree)];
}

/** `0m1.234s` (bash's `times` format) in seconds. */
function bashSeconds(text: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  if (!m) throw new Error(`bench: cannot read the CPU time "${text}" (bash times)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The children's CPU time bash's `times` printed: its second line, "<user> <system>" of the processes
 * it waited for (bash manual, "Bourne Shell Builtins": "Print out the user and system times used by
 * the shell and its children"). A process's children count once it has waited for them, so worker
 * processes the synth reaps are included.
 */
function childrenCpuSeconds(timesOutput: string): number {
  const lines = timesOutput.trim().split('\n');
  const [user, system] = (lines[1] ?? '').trim().split(/\s+/);
  return bashSeconds(user ?? '') + bashSeconds(system ?? '');
}

function measure(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<Measurement> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const timesFile = join(cwd, `.bench-times-${process.pid}`);
    // bash runs the command, waits for it, then writes the CPU time of what it waited for.
    const child = spawn('bash', ['-c', '"$@"; status=$?; times > "$BENCH_TIMES_FILE"; exit $status', 'bench', command, ...args], {
      cwd,
      env: { ...process.env, ...env, BENCH_TIMES_FILE: timesFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const sample = () => {
      for (const pid of tree(child.pid!)) peak = Math.max(peak, highWaterMark(pid));
    };
    const timer = setInterval(sample, SAMPLE_MS);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(timer);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return fail(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr}`));
      const cpuSeconds = childrenCpuSeconds(readFileSync(timesFile, 'utf8'));
      rmSync(timesFile, { force: true });
      done({ wallSeconds, cpuSeconds, peakRssBytes: peak, stdout });
    });
  });
}

function resourcesIn(outdir: string, stacks: readonly string[]): number {
  let count = 0;
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    for (const byName of Object.values(json.resource ?? {})) count += Object.keys(byName).length;
  }
  return count;
}

function written(outdir: string): string[] {
  const report = JSON.parse(readFileSync(join(outdir, 'changed-stacks.json'), 'utf8')) as { changed: string[]; added: string[] };
  return [...report.added, ...report.changed];
}

interface Row {
  readonly org: string;
  readonly operation: string;
  readonly measurement: Measurement;
  readonly stacksWritten: number;
  readonly resources: number;
}

async function benchOrg(accounts: number, regions: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), `baseline-bench-${accounts}x${regions}-`));
  const org = `${accounts} × ${regions}`;
  const rows: Row[] = [];
  const row = (operation: string, measurement: Measurement, outdir: string, stacks: readonly string[]) =>
    rows.push({ org, operation, measurement, stacksWritten: stacks.length, resources: resourcesIn(outdir, stacks) });
  try {
    const configFile = join(dir, 'org.yaml');
    writeFileSync(configFile, generateOrgYaml(accounts, regions));
    const env = { BASELINE_CONFIG: configFile, BASELINE_STACKS: '', CDKTF_OUTDIR: '', CHECKPOINT_DISABLE: '1' };
    const outdir = join(dir, 'cdktf.out');

    const full = await measure(process.execPath, [MAIN], dir, env);
    row('full synth', full, outdir, written(outdir));

    // One member's entry changes: the last generated account (or the example's last) is renamed.
    const edited = accounts > 5 ? generatedAccountId(accounts - 6) : '555555555555';
    const text = readFileSync(configFile, 'utf8');
    const at = text.indexOf(`id: "${edited}"`);
    const nameAt = text.indexOf('name: ', at);
    writeFileSync(configFile, `${text.slice(0, nameAt)}name: renamed-${text.slice(nameAt + 'name: '.length)}`);
    const incremental = await measure(process.execPath, [MAIN], dir, env);
    row('incremental synth (one member edited)', incremental, outdir, written(outdir));

    const oneOut = join(dir, 'one.out');
    const one = await measure(process.execPath, [MAIN], dir, { ...env, CDKTF_OUTDIR: oneOut, BASELINE_STACKS: `member-${edited}` });
    row('one-stack synth (empty output folder)', one, oneOut, written(oneOut));

    const vend = await measure(
      BASELINE,
      ['vend', '--account-id', '999999999999', '--name', 'vended', '--email', 'vended@example.com', '--ou', 'Workloads', '--config', configFile, '--outdir', outdir],
      dir,
      env,
    );
    const vended = (JSON.parse(vend.stdout) as { changedStacks: string[] }).changedStacks;
    row('vend (new account)', vend, outdir, vended);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function table(rows: readonly Row[]): string {
  const lines = [
    '| Org (accounts × Regions) | Operation | Wall time | CPU time | Peak RSS, largest process | Stacks written | Resources/s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const { wallSeconds, cpuSeconds, peakRssBytes } = r.measurement;
    lines.push(
      `| ${r.org} | ${r.operation} | ${wallSeconds.toFixed(1)} s | ${cpuSeconds.toFixed(1)} s | ${(peakRssBytes / 2 ** 20).toFixed(0)} MB | ${r.stacksWritten.toLocaleString('en-US')} | ${Math.round(r.resources / wallSeconds).toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}


async function main(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`make bench\` (it compiles dist/ first)`);
  if (!existsSync('/proc/self/status')) throw new Error('the benchmark samples memory from /proc: run it on Linux');
  const sizes = parseSizes(process.argv[2]);
  const rows: Row[] = [];
  for (const [accounts, regions] of sizes) {
    process.stderr.write(`bench: ${accounts} accounts × ${regions} Regions…\n`);
    rows.push(...(await benchOrg(accounts, regions)));
  }
  process.stdout.write(`${table(rows)}\n\nMachine: ${machine()}.\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
