// ESLint (typescript-eslint) for the whole tree; Prettier owns the formatting (eslint-config-prettier
// turns the rules it would fight off). The layering rules below keep the floors running one way.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Every subgraph's folder (subgraphs/index.ts lists them; `shared` is their common plumbing). */
const SUBGRAPHS = readdirSync(new URL('./subgraphs', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
  .map((entry) => entry.name);

const importsOf = (folders) => `(^|/)(${folders.join('|')})(/|$)`;
const siblingsOf = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** Who may not import whom: lib is the ground floor, subgraphs never reach into each other. */
const FLOORS = [
  {
    files: ['lib/**/*.ts'],
    regex: importsOf(['gateway', 'subgraphs', 'tools']),
    message: 'lib/ is the ground floor: it imports nothing from gateway/, subgraphs/ or tools/.',
  },
  {
    files: ['gateway/**/*.ts'],
    regex: importsOf(['subgraphs', 'tools']),
    message: 'The gateway knows the subgraphs only through the supergraph and its options; share code through lib/.',
  },
  {
    files: ['subgraphs/shared/**/*.ts'],
    regex: `${importsOf(['gateway', 'tools'])}|${siblingsOf(SUBGRAPHS)}`,
    message: 'subgraphs/shared is plumbing for every subgraph: it imports no subgraph, gateway or tool.',
  },
  ...SUBGRAPHS.map((name) => ({
    files: [`subgraphs/${name}/**/*.ts`],
    regex: `${importsOf(['gateway', 'tools'])}|${siblingsOf(SUBGRAPHS.filter((other) => other !== name))}`,
    message: `subgraphs/${name} holds its own domain: declare your own view of another subgraph's types (see subgraphs/oversight/external.ts).`,
  })),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-artifacts/', 'gateway/ide/app.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      // type-graphql and TypeORM take classes and loaders of many shapes; `any` marks those seams.
      '@typescript-eslint/no-explicit-any': 'off',
      // SubgraphDefinition lists entity and resolver classes as `Function`, as type-graphql does.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  ...FLOORS.map(({ files, regex, message }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] },
  })),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        URL: 'readonly',
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
);
