/** What the benchmarks read of a process from Linux's /proc. */
import { readFileSync } from 'node:fs';

/** A process's peak RSS so far (VmHWM in /proc/<pid>/status, in kB: proc(5)), in bytes; 0 when unreadable. */
export function highWaterMark(pid: number | 'self'): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
