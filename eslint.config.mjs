import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.cache/', 'test-results/', '.vscode-test/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "Import 'zod/mini': it bundles several times smaller." }] }],
      // `import vscode = require('vscode')`: the bundle then uses VS Code's API object as is; a
      // namespace import makes esbuild copy its few hundred properties once per importing file.
      // src/extension.ts requires the features bundle when first used (see esbuild.mjs).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^vscode$', '^\\./features\\.js$'] }],
    },
  },
  {
    // The API client knows nothing of VS Code.
    files: ['src/prolific/**', 'src/shared/**', 'src/webviews/apps/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode', { name: 'zod', message: "Import 'zod/mini'." }] }] },
  },
);
