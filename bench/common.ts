/** What both benchmarks (bench/run.ts: synth; bench/evidence.ts: evidence) share. */
import { cpus, totalmem } from 'node:os';

/** The machine a benchmark ran on, as the docs print it. */
export function machine(): string {
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB memory, Node.js ${process.version}, ${process.platform}`;
}

/** `5x3,100x17`: org sizes as [accounts, Regions]. */
export function parseSizes(text: string | undefined): (readonly [number, number])[] {
  return (text ?? '5x3,100x17,1000x17').split(',').map((s) => {
    const m = /^(\d+)x(\d+)$/.exec(s.trim());
    if (!m) throw new Error(`sizes: "${s}" is not ACCOUNTSxREGIONS (e.g. 100x17)`);
    return [Number(m[1]), Number(m[2])] as const;
  });
}
