import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the committed server schema; the output (src/gql) is generated at build time.
const config: CodegenConfig = {
  schema: '../server/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { DateTimeISO: 'string' } },
    },
    // Labels of enums whose values the dashboard shows, from their descriptions in the schema.
    './src/gql/enum-labels.ts': { plugins: ['./codegen-enum-labels.cjs'], config: { enums: ['SamlErrorKind'] } },
  },
};
export default config;
