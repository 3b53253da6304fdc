import fs from 'node:fs';
import * as saml from '../../src/auth/saml';
import { createSamlValidator } from '../../src/modules/sso-sessions/validation-pool';
import { metricsRegistry } from '../../src/lib/metrics';
import { inputFor, responseXml } from './forge';

describe('the SAML validation pool', () => {
  const pool = createSamlValidator(2);
  afterAll(() => pool.close());
  afterEach(() => jest.restoreAllMocks());

  it('validates in worker threads, not on the main thread', async () => {
    const spy = jest.spyOn(saml, 'validateSamlResponse');
    const results = await Promise.all([1, 2, 3, 4].map(() => pool.validate(inputFor(responseXml()))));
    expect(results.map((r) => r.nameId)).toEqual(['ada@acme.com', 'ada@acme.com', 'ada@acme.com', 'ada@acme.com']);
    expect(Object.prototype.toString.call(results[0]!.assertionExpiresAt)).toBe('[object Date]'); // structured clone keeps Dates (another realm under jest)
    expect(spy).not.toHaveBeenCalled();
  });

  it('brings a refusal back as a SamlError with its reason and details', async () => {
    const error = await pool.validate(inputFor(responseXml({ destination: 'https://elsewhere.example/acs' }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(saml.SamlError);
    expect(error).toMatchObject({ reason: 'invalid_destination', dashboardError: 'MALFORMED_SAML_RESPONSE', received: 'https://elsewhere.example/acs' });
  });

  it('turns work away with ValidatorBusyError once the queue is full, instead of queueing without bound, and counts what it shed and queued', async () => {
    // At the main thread's priority: this counts queueing, and a niced thread starves on a machine shared with other work.
    const small = createSamlValidator(1, { nice: 0 });
    const shed = async () => (await metricsRegistry.getSingleMetric('portico_validation_pool_shed_total')!.get()).values[0]!.value;
    const queued = async () => (await metricsRegistry.getSingleMetric('portico_validation_pool_queue_depth')!.get()).values.reduce((sum, v) => sum + v.value, 0);
    const shedBefore = await shed();
    try {
      const xml = inputFor(responseXml());
      const running = Promise.all(Array.from({ length: 700 }, () => small.validate(xml).then(() => 'ok', (e: Error) => e.name)));
      expect(await queued()).toBeGreaterThanOrEqual(500);
      const outcomes = await running;
      expect(outcomes.filter((o) => o === 'ValidatorBusyError').length).toBeGreaterThan(0);
      expect((await shed()) - shedBefore).toBe(outcomes.filter((o) => o === 'ValidatorBusyError').length);
      expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(512);
      expect(new Set(outcomes)).toEqual(new Set(['ok', 'ValidatorBusyError']));
    } finally {
      await small.close();
    }
  });

  it('hands a busy worker its next validation, so it never waits for the main thread between two', async () => {
    // Under a storm the main thread is busy: a worker that had to wait for it to hand over each task sat idle with
    // validations queued (bench:acs). Each worker holds one validation beside the one it runs.
    const one = createSamlValidator(1, { nice: 0 });
    const queued = async () => (await metricsRegistry.getSingleMetric('portico_validation_pool_queue_depth')!.get()).values.reduce((sum, v) => sum + v.value, 0);
    try {
      const xml = inputFor(responseXml());
      await one.validate(xml); // the worker is up
      const before = await queued();
      const running = Promise.all([1, 2, 3].map(() => one.validate(xml)));
      expect((await queued()) - before).toBe(1);
      expect((await running).map((r) => r.nameId)).toEqual(['ada@acme.com', 'ada@acme.com', 'ada@acme.com']);
    } finally {
      await one.close();
    }
  });

  it('validates on the calling thread when configured with 0 workers', async () => {
    const spy = jest.spyOn(saml, 'validateSamlResponse');
    const inline = createSamlValidator(0);
    expect((await inline.validate(inputFor(responseXml()))).nameId).toBe('ada@acme.com');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  /** A thread's nice value, from /proc (field 19 of its stat line). */
  const niceOf = (tid: string | number) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);

  (process.platform === 'linux' ? it : it.skip)('runs its worker threads at a lower CPU priority than the main thread, so a storm of sign-ins leaves it a core', async () => {
    const niced = createSamlValidator(1, { nice: 7 });
    try {
      expect((await niced.validate(inputFor(responseXml()))).nameId).toBe('ada@acme.com');
      const threads = fs.readdirSync('/proc/self/task');
      expect(threads.filter((tid) => niceOf(tid) === 7)).toHaveLength(1);
      expect(niceOf(process.pid)).not.toBe(7);
    } finally {
      await niced.close();
    }
  });
});
