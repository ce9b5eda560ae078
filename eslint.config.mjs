import tseslint from 'typescript-eslint';

// The house plan (README, "Developing"): each layer imports only the layers below it.
//   shared  <  prolific, webviews (pages: webviews/apps)  <  host  <  features  <  container, extension
// A folder name in a relative import says where it points; these name what a layer may not reach.
const ZOD = { name: 'zod', message: "Import 'zod/mini': it bundles several times smaller." };
const VSCODE = { name: 'vscode', message: 'This layer runs without VS Code (plain Node, or a webview page).' };
const reach = (folders, why) => ({ regex: `(^|/)(${folders.join('|')})(/|$)`, message: why });
const TOP = reach(['container', 'extension'], 'Only activation loads the container; nothing imports either.');
const FEATURES = reach(['features'], 'A feature is imported only by the container (or another feature).');
const HOST = reach(['host'], 'The host adapters sit above this layer.');
const PAGES = reach(['apps'], "A page's script runs in the webview: only its own bundle imports it.");
const restrict = (paths, patterns) => ['error', { paths: [ZOD, ...paths], patterns }];

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.cache/', 'test-results/', '.vscode-test/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': restrict([], []),
      // `import vscode = require('vscode')`: the bundle then uses VS Code's API object as is; a
      // namespace import makes esbuild copy its few hundred properties once per importing file.
      // src/extension.ts requires the features bundle when first used (see esbuild.mjs).
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^vscode$', '^\\./features\\.js$'] }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': restrict(
        [VSCODE],
        [TOP, FEATURES, HOST, PAGES, reach(['prolific', 'webviews'], 'shared is the lowest layer.')],
      ),
    },
  },
  {
    files: ['src/prolific/**'],
    rules: {
      'no-restricted-imports': restrict(
        [VSCODE],
        [TOP, FEATURES, HOST, PAGES, reach(['webviews'], 'The API client knows nothing of the pages.')],
      ),
    },
  },
  {
    files: ['src/webviews/**'],
    rules: { 'no-restricted-imports': restrict([VSCODE], [TOP, FEATURES, HOST, reach(['prolific'], 'The pages know nothing of HTTP.')]) },
  },
  {
    // The page scripts take their protocol's types only: its zod schemas must not reach a page bundle.
    files: ['src/webviews/apps/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^zod(/|$)', message: 'zod stays out of the page bundles: the host checks what the page posts.' },
            {
              regex: '/protocol$',
              allowTypeImports: true,
              message: 'Use `import type`: the protocol holds zod schemas, which must not be bundled into the page.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/host/**'],
    rules: { 'no-restricted-imports': restrict([], [TOP, FEATURES, PAGES]) },
  },
  {
    files: ['src/features/**'],
    rules: { 'no-restricted-imports': restrict([], [TOP, PAGES]) },
  },
);
