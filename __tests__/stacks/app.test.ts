import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allStackNames } from '../../config/naming';
import { buildApp } from '../../stacks/app';
import { selectStacks, StackSelectionError } from '../../stacks/selection';
import { configWith, exampleConfig } from '../helpers';

const EXAMPLE_STACKS = [
  'management',
  'member-111111111111',
  'member-222222222222',
  'member-333333333333',
  'member-444444444444',
  'member-555555555555',
];

describe('synthesizing the example org', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'baseline-synth-'));
    buildApp(exampleConfig(), { outdir }).app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('writes the management stack and one member stack per account, core accounts included', () => {
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(EXAMPLE_STACKS);
    for (const name of EXAMPLE_STACKS) {
      expect(existsSync(join(outdir, 'stacks', name, 'cdk.tf.json'))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(EXAMPLE_STACKS);
  });

  test('keeps state local by default, outside cdktf.out, one file per stack', () => {
    for (const name of EXAMPLE_STACKS) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(json.terraform.backend)).toEqual(['local']);
      expect(json.terraform.backend.local.path).toMatch(new RegExp(`/terraform\\.${name}\\.tfstate$`));
      expect(json.terraform.backend.local.path).not.toContain('cdktf.out');
    }
  });

  test('no stack references another (no remote state, no cross-stack outputs)', () => {
    for (const name of EXAMPLE_STACKS) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      expect(json.data?.terraform_remote_state).toBeUndefined();
      expect(json.output ?? {}).toEqual({});
      const text = JSON.stringify(json);
      for (const other of EXAMPLE_STACKS.filter((n) => n !== name)) {
        expect(text).not.toContain(`"${other}/`);
      }
    }
  });

  test('a thousand-account org has one stack per account, and selection constructs only what it names', () => {
    const config = configWith((raw) => {
      for (let i = 0; i < 995; i++) {
        raw.members.push({ id: String(600000000000 + i), name: `acct-${i}`, email: `a${i}@example.com`, ou: 'Workloads' });
      }
    });
    expect(buildApp(config, { outdir, stacks: 'member-600000000099' }).stackNames).toEqual(['member-600000000099']);
    expect(buildApp(config, { outdir, stacks: 'member-60000000099?' }).stackNames).toEqual([
      'member-600000000990',
      'member-600000000991',
      'member-600000000992',
      'member-600000000993',
      'member-600000000994',
    ]);
    expect(selectStacks(allStackNames(config), 'member-6*')).toHaveLength(995);
    expect(allStackNames(config)).toHaveLength(1001);
  });
});

describe('stack selection (BASELINE_STACKS)', () => {
  test('names and globs select stacks, in synth order', () => {
    expect(selectStacks(EXAMPLE_STACKS, 'member-444444444444,management')).toEqual(['management', 'member-444444444444']);
    expect(selectStacks(EXAMPLE_STACKS, 'member-*')).toEqual(EXAMPLE_STACKS.slice(1));
    expect(selectStacks(EXAMPLE_STACKS, ' member-55555555555? , ')).toEqual(['member-555555555555']);
    expect(selectStacks(EXAMPLE_STACKS, undefined)).toEqual(EXAMPLE_STACKS);
    expect(selectStacks(EXAMPLE_STACKS, '')).toEqual(EXAMPLE_STACKS);
  });

  test('a pattern that selects nothing is an error naming it', () => {
    expect(() => selectStacks(EXAMPLE_STACKS, 'management,member-999999999999')).toThrow(StackSelectionError);
    expect(() => selectStacks(EXAMPLE_STACKS, 'member-999999999999')).toThrow(
      /BASELINE_STACKS: "member-999999999999" matches no stack/,
    );
  });

  test('regex characters in a pattern are literal', () => {
    expect(() => selectStacks(EXAMPLE_STACKS, 'member-.*')).toThrow(StackSelectionError);
  });

  test('only the selected stacks are constructed', () => {
    const { app, stackNames } = buildApp(exampleConfig(), { stacks: 'member-444444444444' });
    expect(stackNames).toEqual(['member-444444444444']);
    expect(app.node.children.map((c) => c.node.id).filter((id) => id.startsWith('member-') || id === 'management')).toEqual([
      'member-444444444444',
    ]);
  });
});
