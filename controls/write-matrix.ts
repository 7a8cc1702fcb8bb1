/**
 * Writes the control matrix of the output folder: reads the `controls.json` of every stack folder of
 * the config, and writes `evidence/control-matrix.json` and `evidence/control-matrix.md`, each only
 * when its bytes change (atomically: temporary file, then rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineConfig } from '../config/schema';
import { buildControlMatrix, type ControlMatrix } from './matrix';
import { controlMatrixMarkdown } from './matrix-markdown';
import { STACK_CONTROLS_FILE, type StackControls } from '../modules/control-model/record';

export const EVIDENCE_DIR = 'evidence';
export const CONTROL_MATRIX_JSON = 'control-matrix.json';
export const CONTROL_MATRIX_MD = 'control-matrix.md';

function readStackControls(outdir: string, stack: string): StackControls | null {
  try {
    return JSON.parse(readFileSync(join(outdir, 'stacks', stack, STACK_CONTROLS_FILE), 'utf8')) as StackControls;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${join(outdir, 'stacks', stack, STACK_CONTROLS_FILE)}: cannot read it: ${(e as Error).message}`);
  }
}

function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // Missing: written below.
  }
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Builds the matrix from the stacks in `outdir` and writes both files; returns the matrix. */
export function writeControlMatrix(config: BaselineConfig, outdir: string, allStacks: readonly string[]): ControlMatrix {
  const records = allStacks.map((s) => readStackControls(outdir, s)).filter((r): r is StackControls => r !== null);
  const matrix = buildControlMatrix(config, records, allStacks);
  const dir = join(outdir, EVIDENCE_DIR);
  mkdirSync(dir, { recursive: true });
  writeIfChanged(join(dir, CONTROL_MATRIX_JSON), `${JSON.stringify(matrix, null, 2)}\n`);
  writeIfChanged(join(dir, CONTROL_MATRIX_MD), controlMatrixMarkdown(matrix));
  return matrix;
}
