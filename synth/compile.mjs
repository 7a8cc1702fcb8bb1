// Compiles the synth code (main.ts and what it imports) to CommonJS in dist/, for `make synth`.
// Types are stripped, not checked (as tsx does; `make typecheck` checks them), with swc, already
// a dev dependency for jest. Compiled JavaScript starts faster than tsx and, without source maps,
// formats stack traces far faster: see "Scale" in docs/operations.md. Only files newer than their output
// are compiled; outputs whose source is gone are deleted.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const SOURCES = ['main.ts', 'config', 'controls', 'stacks', 'modules', 'synth', 'vending', 'bin'];

function tsFiles(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  return readdirSync(path).flatMap((entry) => tsFiles(join(path, entry)));
}

// JSON the code imports (e.g. controls/frameworks/*.json) is copied beside the compiled code.
function jsonFiles(path) {
  if (!existsSync(path) || statSync(path).isFile()) return [];
  return readdirSync(path).flatMap((entry) => {
    const full = join(path, entry);
    return statSync(full).isFile() ? (entry.endsWith('.json') ? [full] : []) : jsonFiles(full);
  });
}

const wanted = new Set();
let compiled = 0;
for (const source of SOURCES.flatMap((s) => tsFiles(join(root, s)))) {
  const target = join(out, relative(root, source)).replace(/\.ts$/, '.js');
  wanted.add(target);
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
  const { code } = transformFileSync(source, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: false,
    swcrc: false,
    configFile: false,
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code);
  compiled++;
}

for (const source of SOURCES.flatMap((s) => jsonFiles(join(root, s)))) {
  const target = join(out, relative(root, source));
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  compiled++;
}

function jsFiles(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return path.endsWith('.js') ? [path] : [];
  return readdirSync(path).flatMap((entry) => jsFiles(join(path, entry)));
}
const stale = jsFiles(out).filter((f) => !wanted.has(f));
for (const file of stale) rmSync(file);

if (compiled + stale.length > 0) process.stdout.write(`dist/: compiled ${compiled} file(s), removed ${stale.length}\n`);
