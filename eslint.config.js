import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** SQL statement openings: upper-case keywords as our queries write them (page text never starts so). */
const SQL = String.raw`/^\s*(SELECT|INSERT INTO|UPDATE \S+ (\S+ )?SET|DELETE FROM|WITH \S+ AS|ALTER TABLE|CREATE (UNIQUE )?(TABLE|INDEX)|DROP (TABLE|SCHEMA)|LOCK TABLE)\b/`;
const sqlMessage =
  'SQL lives in *.repository.ts (or src/db/): call a repository function from here (docs/architecture.md).';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'screenshots'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Issue 20.2: only repositories (and the database layer itself) hold SQL; tests and the sandboxes may.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/**/*.repository.ts', 'src/db/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=${SQL}]`, message: sqlMessage },
        { selector: `TemplateLiteral > TemplateElement:first-child[value.raw=${SQL}]`, message: sqlMessage },
      ],
    },
  },
);
