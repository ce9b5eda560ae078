import tseslint from 'typescript-eslint';

/** What src/webviews may not import: anything above the pages' layer. */
const PAGE_LAYER = [
  { regex: '^(\\.\\./)+(host|features|prolific)(/|$)|^(\\.\\./)+(container|extension)$', message: 'src/webviews imports only src/shared and src/webviews.' },
  { regex: '^vscode$', message: 'The pages know nothing of VS Code’s API.' },
];

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
  {
    // The pages' layer (src/webviews) imports only shared/ and webviews/ (LAYOUT.md).
    files: ['src/webviews/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: PAGE_LAYER }] },
  },
  {
    // The page scripts take their protocol's types only: its values would bundle zod into the page.
    files: ['src/webviews/apps/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...PAGE_LAYER,
            { regex: '^zod(/|$)', message: 'zod stays out of the page bundles: the host checks what the page posts.' },
            { regex: '/protocol$', allowTypeImports: true, message: 'Use `import type`: the protocol holds zod schemas, which must not be bundled into the page.' },
          ],
        },
      ],
    },
  },
);
