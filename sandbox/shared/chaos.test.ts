import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type SandboxChaos } from '../../src/config.ts';
import { Chaos } from './chaos.ts';
import { Faults } from './faults.ts';

const settings = (over: Partial<SandboxChaos> = {}): SandboxChaos => ({
  calls: 0,
  deliveries: 0,
  copies: [1, 1],
  delayMs: [0, 0],
  seed: 42,
  ...over,
});

describe('SANDBOX_CHAOS parsing', () => {
  it('reads every key of the documented example', () => {
    const c = loadConfig({
      SANDBOX_CHAOS: 'calls=0.05,deliveries=0.05,copies=1-5,delayMs=0-20000,seed=42',
    }).sandboxChaos;
    expect(c).toEqual({ calls: 0.05, deliveries: 0.05, copies: [1, 5], delayMs: [0, 20000], seed: 42 });
  });

  it('defaults the keys left out to no fault, one copy, no delay and seed 0', () => {
    expect(loadConfig({ SANDBOX_CHAOS: 'copies=3' }).sandboxChaos).toEqual({
      calls: 0,
      deliveries: 0,
      copies: [3, 3],
      delayMs: [0, 0],
      seed: 0,
    });
  });

  it('leaves chaos off when the setting is unset or empty', () => {
    expect(loadConfig({}).sandboxChaos).toBeUndefined();
    expect(loadConfig({ SANDBOX_CHAOS: '' }).sandboxChaos).toBeUndefined();
  });

  it.each([
    ['a probability above 1', 'calls=1.5'],
    ['an unknown key', 'callz=0.1'],
    ['a pair without a value', 'calls'],
    ['zero copies', 'copies=0-2'],
    ['a range whose end is below its start', 'delayMs=500-100'],
    ['a negative seed', 'seed=-1'],
  ])('stops the start on %s, naming the setting', (_what, value) => {
    expect(() => loadConfig({ SANDBOX_CHAOS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ SANDBOX_CHAOS: value })).toThrow(/SANDBOX_CHAOS/);
  });
});

describe('chaos decisions', () => {
  const draw = (chaos: Chaos) => [chaos.callFault(), chaos.copyDelays(), chaos.deliveryFails()];

  it('makes the same decisions for the same seed, and others for another seed', () => {
    const s = settings({ calls: 0.5, deliveries: 0.5, copies: [1, 5], delayMs: [0, 20000] });
    const a = new Chaos(s);
    const b = new Chaos(s);
    const c = new Chaos({ ...s, seed: 43 });
    const runA = Array.from({ length: 50 }, () => draw(a));
    expect(Array.from({ length: 50 }, () => draw(b))).toEqual(runA);
    expect(Array.from({ length: 50 }, () => draw(c))).not.toEqual(runA);
  });

  it('fails calls at about the configured rate, with both errors and timeouts, and counts them', () => {
    const chaos = new Chaos(settings({ calls: 0.1 }));
    const faults = Array.from({ length: 10_000 }, () => chaos.callFault()).filter(Boolean);
    expect(faults.length).toBeGreaterThan(800);
    expect(faults.length).toBeLessThan(1200);
    expect(new Set(faults)).toEqual(new Set(['error', 'timeout']));
    expect(chaos.stats.callErrors + chaos.stats.callTimeouts).toBe(faults.length);
  });

  it('sends every notification a number of copies in range, each with a delay in range, reaching both ends', () => {
    const chaos = new Chaos(settings({ copies: [1, 5], delayMs: [100, 300] }));
    const all = Array.from({ length: 2000 }, () => chaos.copyDelays());
    const counts = all.map((d) => d.length);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(5);
    const delays = all.flat();
    expect(Math.min(...delays)).toBe(100);
    expect(Math.max(...delays)).toBe(300);
    expect(chaos.stats).toMatchObject({ notifications: 2000, copies: delays.length });
  });

  it('never fails anything when the probabilities are zero', () => {
    const chaos = new Chaos(settings());
    for (let i = 0; i < 1000; i++) {
      expect(chaos.callFault()).toBeUndefined();
      expect(chaos.deliveryFails()).toBe(false);
      expect(chaos.copyDelays()).toEqual([0]);
    }
  });

  it('fails every call when the probability is one, after the scripted faults, which keep their order', () => {
    const faults = new Faults();
    faults.useChaos(new Chaos(settings({ calls: 1 })));
    faults.failNextCall('timeout', 'query', 1);
    faults.failNextCall('error', null, 1);
    expect(faults.takeCallFault('query')).toBe('timeout');
    expect(faults.takeCallFault('refund')).toBe('error');
    expect(['error', 'timeout']).toContain(faults.takeCallFault('refund'));
  });

  it('leaves a sandbox without chaos to its scripted faults alone', () => {
    const faults = new Faults();
    faults.failNextCall('error', 'refund');
    expect(faults.takeCallFault('query')).toBeUndefined();
    expect(faults.takeCallFault('refund')).toBe('error');
    expect(faults.takeCallFault('refund')).toBeUndefined();
  });
});
