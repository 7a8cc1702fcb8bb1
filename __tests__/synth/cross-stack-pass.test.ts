/**
 * Synth skips cdktf's cross-stack-reference pass (synth/cross-stack-pass.ts). These tests fail if the
 * pinned cdktf changes underneath it: another `prepareStack`, or another reader of `preparing`.
 * That the output stays byte for byte cdktf's own is asserted in parallel-synth.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { skipCrossStackPass } from '../../synth/cross-stack-pass';

const CDKTF_LIB = dirname(require.resolve('cdktf'));

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsFiles(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : [],
  );
}

describe("skipping cdktf's cross-stack-reference pass", () => {
  test('prepareStack is the one verified: ensure a backend, then a preparing resolve of every element', () => {
    expect(TerraformStack.prototype.prepareStack.toString()).toBe(
      [
        'prepareStack() {',
        '        // Ensure we have a backend configured',
        '        this.ensureBackendExists();',
        '        // A preparing resolve run might add new resources to the stack, e.g. for cross stack references.',
        '        terraformElements(this).forEach((e) => (0, _tokens_1.resolve)(this, e.toTerraform(), true));',
        '    }',
      ].join('\n'),
    );
  });

  test('only cross-stack references act on a preparing resolve', () => {
    const readers = jsFiles(CDKTF_LIB).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^.*\.preparing\b.*$/gm)].map((m) => `${file.slice(CDKTF_LIB.length + 1)}: ${m[0].trim()}`),
    );
    expect(readers).toEqual([
      'tfExpression.js: if (context.preparing) {',
      'tokens/private/resolve.js: preparing: options.preparing,',
      'tokens/token.js: preparing: options.preparing !== undefined ? options.preparing : false,',
    ]);
  });

  test('a stack without a backend still gets the local one', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'baseline-prepare-'));
    try {
      const stack = new TerraformStack(new App({ outdir }), 'lonely');
      skipCrossStackPass(stack);
      stack.prepareStack();
      expect(JSON.parse(JSON.stringify(stack.toTerraform())).terraform.backend.local.path).toMatch(/terraform\.lonely\.tfstate$/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
