/**
 * Data flows one way (the developers' guide, "Style"): inside `config/`, the schema depends on the
 * small pieces (naming of log buckets, guardrails, plan role, managed rules...), never the other way,
 * and no file reaches itself through its imports, type-only imports included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CONFIG_DIR = join(__dirname, '..', '..', 'config');

function localImports(file: string): string[] {
  const text = readFileSync(join(CONFIG_DIR, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from '\.\/([^']+)'/gms)].map((m) => `${m[1]}.ts`);
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) found.push([...path.slice(at), next]);
      else visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return found;
}

const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.ts'));
const graph = new Map(files.map((f) => [f, localImports(f)]));

test('no file of config/ imports itself through others (type-only imports count)', () => {
  expect(cycles(graph)).toEqual([]);
});

test('the cycle finder sees a cycle when there is one (the breaking case)', () => {
  const broken = new Map(graph);
  broken.set('log-buckets.ts', [...(graph.get('log-buckets.ts') ?? []), 'schema.ts']);
  expect(cycles(broken).length).toBeGreaterThan(0);
});

test('the pieces the schema uses import nothing from the schema', () => {
  for (const piece of graph.get('schema.ts') ?? []) expect({ piece, imports: graph.get(piece) }).not.toEqual(expect.objectContaining({ imports: expect.arrayContaining(['schema.ts']) }));
});
