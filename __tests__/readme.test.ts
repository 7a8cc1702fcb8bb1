import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withReference } from '../config/reference';
import { REPO_ROOT } from './helpers';

describe('README.md', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  test('has the config reference generated from the current schema (run `npm run docs`)', () => {
    expect(readme).toBe(withReference(readme));
  });

  test('gives the two commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('make synth ');
    expect(readme).toContain('make test ');
    expect(readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')).toMatch(/^make test$/m);
  });
});
