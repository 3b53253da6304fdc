import { startTracing } from './tracing';

// Imported by main.ts before anything that loads http, pg or graphql, so their instrumentation can hook them.
startTracing({ instrument: true });
