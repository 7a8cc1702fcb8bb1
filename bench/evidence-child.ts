/**
 * `baseline evidence` as a user runs it (bin/baseline.ts's `main`), with the simulated organization
 * (bench/evidence-sim.ts) answering every AWS call. Run by bench/evidence.ts in a process of its own:
 *
 *   tsx bench/evidence-child.ts STATS.json -- <baseline evidence arguments>
 *
 * When the command ends, writes to STATS.json the simulation's counts, this process's CPU seconds
 * (user + system) and its peak RSS (VmHWM), and the peak RSS of its parent: tsx's launcher, which
 * starts this process and waits for it (a user's `bin/baseline evidence` has the same two processes).
 */
import { writeFileSync } from 'node:fs';
import { main } from '../bin/baseline';
import { loadConfig } from '../config/load';
import { logBucketName, orgTrailName } from '../config/naming';
import { createEvidenceCommand } from '../evidence/cli';
import { SimulatedOrganization } from './evidence-sim';
import { highWaterMark } from './proc';

async function run(): Promise<void> {
  const [statsFile, separator, ...args] = process.argv.slice(2);
  if (!statsFile || separator !== '--') throw new Error('usage: tsx bench/evidence-child.ts STATS.json -- <baseline evidence arguments>');
  const configAt = args.indexOf('--config');
  if (configAt < 0) throw new Error('bench/evidence-child.ts: --config is required (the simulated org is built from it)');
  const config = loadConfig(args[configAt + 1]);
  const logFiles = process.env.BENCH_EVIDENCE_LOG_FILES;
  const sim = new SimulatedOrganization({
    config,
    organizationId: config.organization.id,
    homeRegion: config.regions.home,
    trailName: orgTrailName(config),
    cloudTrailBucket: logBucketName(config, 'cloudtrail'),
    ...(logFiles !== undefined ? { logFilesPerDigest: Number(logFiles) } : {}),
  });
  const command = createEvidenceCommand({
    collectOptions: {
      decorateClient: sim.decorateClient,
      credentials: { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' },
      history: false,
    },
  });
  // BENCH_MEMORY_LOG=1: the process's memory every 10 s on stderr (heap, external, array buffers, RSS).
  const memoryLog = process.env.BENCH_MEMORY_LOG
    ? setInterval(() => {
        // With node --expose-gc, the heap after a full collection: what is live, not what awaits collection.
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        process.stderr.write(`memory: rss ${(m.rss / 2 ** 20).toFixed(0)} MB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)}/${(m.heapTotal / 2 ** 20).toFixed(0)} MB, external ${(m.external / 2 ** 20).toFixed(0)} MB, array buffers ${(m.arrayBuffers / 2 ** 20).toFixed(0)} MB\n`);
      }, 10_000).unref()
    : undefined;
  let code: number;
  try {
    code = await main(['evidence', ...args], undefined, [command]);
  } finally {
    if (memoryLog) clearInterval(memoryLog);
    // Written even when the command throws: the collection's figures stand without the binder.
    const cpu = process.cpuUsage();
    writeFileSync(statsFile, JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: highWaterMark('self'), launcherPeakRssBytes: highWaterMark(process.ppid), ...sim.stats() }));
  }
  // Exit codes 1 and 3 (failed controls, ERROR items) are results here, not failures of the benchmark.
  process.exitCode = code === 2 ? 2 : 0;
}

run().catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
