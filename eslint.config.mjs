// Lint rules that keep the project's conventions, checked by `npm run lint` (part of `make test`).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', '.venv/**', 'dist/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message:
                "Import the submodule ('@cdktf/provider-aws/lib/<resource>'): the package root loads ~2,200 modules (~3 s, ~600 MB per process).",
            },
          ],
          patterns: [
            {
              regex: '^@cdktf/provider-aws/lib/?$',
              message: "Import the resource's own submodule ('@cdktf/provider-aws/lib/<resource>').",
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Data flows one way: modules use the control vocabulary (modules/control-model/) and never climb
    // up into controls/ (the catalog, matrix and docs that sit above them), stacks/ or synth/.
    files: ['modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@cdktf/provider-aws', message: "Import the resource's own submodule ('@cdktf/provider-aws/lib/<resource>')." }],
          patterns: [
            { regex: '^@cdktf/provider-aws/lib/?$', message: "Import the resource's own submodule ('@cdktf/provider-aws/lib/<resource>')." },
            { regex: '^(\\.\\./)+(controls|stacks|synth|review|evidence|bin)(/|$)', message: 'modules/ sit below controls/, stacks/, synth/, review/, evidence/ and bin/: move the shared piece down instead.' },
          ],
        },
      ],
    },
  },
  {
    // Tests read synthesized Terraform JSON, whose shape is the provider's, not ours.
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
