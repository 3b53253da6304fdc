import { context, propagation, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry traces, configured by the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER …). Off unless an exporter is named or an
 * endpoint set: then the SDK is never loaded, and the `@opentelemetry/api` calls below are no-ops.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (exporters.length) return !exporters.every((e) => e === 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

interface Started {
  shutdown(): Promise<void>;
}

let started: Started | null = null;

/**
 * Starts the SDK in this thread. The main thread instruments HTTP (a span per request), GraphQL (per operation)
 * and pg (per query); it must run before those modules load, so main.ts calls it first. A worker thread starts
 * it with no instrumentation, for its own SAML validation spans.
 */
export function startTracing(opts: { instrument: boolean }): void {
  if (started || !tracingEnabled()) return;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const instrumentations = [];
  if (opts.instrument) {
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
    const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
    instrumentations.push(
      // Outgoing calls are the exporter's own posts (and metadata fetches): tracing them would trace the tracer.
      new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true, ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)\b/.test(req.url ?? '') }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      // SQL text is kept (it has placeholders, never values); connect spans are noise.
      new PgInstrumentation({ ignoreConnectSpans: true }),
    );
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({ serviceName: process.env.OTEL_SERVICE_NAME || 'portico', instrumentations });
  sdk.start();
  started = sdk;
}

/** Flushes and stops the exporter (at the end of a clean stop). */
export async function stopTracing(): Promise<void> {
  const sdk = started;
  started = null;
  await sdk?.shutdown().catch(() => undefined);
}

export const tracer = () => trace.getTracer('portico');

/** The active context as W3C trace headers, to carry across a thread or process boundary. */
export function currentTraceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `work` in a span named `name`, a child of the active span or of the context in `carrier`. */
export async function inSpan<T>(name: string, work: (span: Span) => Promise<T>, carrier?: Record<string, string>): Promise<T> {
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  return tracer().startActiveSpan(name, {}, parent, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
