/**
 * The exit codes of `bin/baseline`, one list (EXIT_CODES in bin/cli-command.ts): `baseline --help` prints
 * it, the README's command-line section lists exactly those codes, and the codes the commands return
 * are in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Baseline from '../../bin/baseline';
import { EXIT_CODES } from '../../bin/cli-command';
import { exitCodeOf } from '../../evidence/types';
import type { EvidenceItem, EvidenceStatus } from '../../evidence/types';
import { REPO_ROOT } from '../helpers';

const { mainHelp } = require('../../bin/baseline.ts') as typeof Baseline;

test('baseline --help lists every exit code with its meaning', () => {
  for (const [code, meaning] of Object.entries(EXIT_CODES)) expect(mainHelp()).toMatch(new RegExp(`^  ${code}  ${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
});

test('the README lists exactly the exit codes the code defines', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The command line'), readme.indexOf('## Config reference'));
  const sentence = /Exit codes: ([\s\S]*?)\.\n/.exec(section);
  expect(sentence).not.toBeNull();
  const text = sentence![1].replace(/\s+/g, ' ');
  const codes = [...text.matchAll(/(?:^|, )(\d) ([a-z ]+)/g)].map((m) => [m[1], m[2].trim()]);
  expect(codes.map(([c]) => c)).toEqual(Object.keys(EXIT_CODES));
  // Each README entry starts with the words of its EXIT_CODES meaning.
  for (const [code, words] of codes) expect(EXIT_CODES[Number(code)].startsWith(words)).toBe(true);
});

test('evidence returns only codes of the list (0, 1 and 3)', () => {
  const item = (status: EvidenceStatus) => ({ status }) as EvidenceItem;
  const returned = [[item('PASS')], [item('FAIL'), item('ERROR')], [item('PASS'), item('ERROR')]].map((items) => exitCodeOf(items));
  expect(returned).toEqual([0, 1, 3]);
  for (const code of returned) expect(EXIT_CODES[code]).toBeDefined();
});
