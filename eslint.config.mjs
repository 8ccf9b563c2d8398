// Type-checked rules catch what strict TypeScript lets through (floating promises, unsafe any);
// formatting is Prettier's, so eslint-config-prettier turns the stylistic rules off.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  // Git's ignores too (.tmp/ holds scratch copies of the sources), which ESLint, unlike Prettier, does not read.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', '.data/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Tests read JSON bodies over HTTP and rows over SQL: untyped by nature, and what the assertions check.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.kafka-spec.ts', '**/*.fault-spec.ts', 'bench/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
