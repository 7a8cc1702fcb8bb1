import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DOCS, withGeneratedDocs } from '../controls/docs';
import { REPO_ROOT } from './helpers';

describe('README.md', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  test.each(GENERATED_DOCS)('%s has its config reference and control tables generated from the current declarations (run `npm run docs`)', (file) => {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    expect(text).toBe(withGeneratedDocs(text));
  });

  test('the control tables are in the documentation', () => {
    const all = GENERATED_DOCS.map((f) => readFileSync(join(REPO_ROOT, f), 'utf8')).join('\n');
    for (const name of ['controls', 'config-rules', 'cis-filters', 'config-reference']) expect(all).toContain(`<!-- ${name}:start`);
  });

  test('gives the two commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('make synth ');
    expect(readme).toContain('make test ');
    expect(readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')).toMatch(/^make test$/m);
  });
});
