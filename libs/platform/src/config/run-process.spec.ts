import { ConfigError } from './config';
import { bootFailure, describeFailure, SHUTDOWN_DEADLINE_MS, shutdownDeadlineMs, StartupError, stopSteps } from './run-process';

describe('bootFailure', () => {
  it('says what the operator can fix in one line, without a stack', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(bootFailure(refused)).toEqual({ message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(bootFailure(new ConfigError(['DATABASE_URL must be a URL', 'PORT must be 0-65535']))).toEqual({
      message: 'invalid configuration: DATABASE_URL must be a URL; PORT must be 0-65535',
    });
    expect(bootFailure(new StartupError('the database is out of reach', 'check DATABASE_URL'))).toEqual({
      message: 'the database is out of reach; what to do: check DATABASE_URL',
    });
  });

  it('keeps the stack apart for what looks like a bug', () => {
    const failure = bootFailure(new TypeError('cannot read properties of undefined'));
    expect(failure.message).toBe('cannot read properties of undefined');
    expect(failure.stack).toMatch(/\n\s+at /);
  });
});

describe('describeFailure', () => {
  it('never prints a bare "undefined" for a dependency that rejects without an error', () => {
    expect(describeFailure(undefined)).toMatch(/failed without saying why/);
    expect(describeFailure(undefined)).not.toBe('undefined');
  });

  it('gives an operator-facing failure as its message alone: what failed and what to do', () => {
    const failure = new StartupError('DATA_DIR /x is not reachable by user postgres', 'chmod o+x /x');
    expect(describeFailure(failure)).toBe('DATA_DIR /x is not reachable by user postgres\n  what to do: chmod o+x /x');
    expect(describeFailure(new ConfigError(['PORT must be a port']))).toBe('invalid configuration:\n  - PORT must be a port');
  });

  it('spells out an AggregateError of refused connections, which has no message of its own', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const failure = describeFailure(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')]));
    expect(failure.split('\n')[0]).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('names the code and the cause, and keeps the stack frames for a bug', () => {
    const failure = describeFailure(new Error('open failed', { cause: Object.assign(new Error('permission denied'), { code: 'EACCES' }) }));
    expect(failure.split('\n')[0]).toBe('open failed caused by: permission denied (EACCES)');
    expect(failure).toMatch(/\n\s+at /);
  });

  it('prints a rejected plain value as what it is', () => {
    expect(describeFailure({ reason: 'gone' })).toBe('{"reason":"gone"}');
    expect(describeFailure('lost')).toBe('lost');
  });
});

describe('stopSteps', () => {
  it('runs every step in order even after one fails, then rejects naming the failed one', async () => {
    const ran: string[] = [];
    const stop = stopSteps([
      ['first', () => Promise.resolve(ran.push('first'))],
      ['second', () => Promise.reject(new Error('pool already ended'))],
      ['third', () => Promise.resolve(ran.push('third'))],
    ]);
    await expect(stop.stop()).rejects.toThrow('second: pool already ended');
    expect(ran).toEqual(['first', 'third']);
  });

  it('reports the step in progress and those after it, for the deadline report', async () => {
    let release = () => undefined as void;
    const stop = stopSteps([
      ['projector', () => Promise.resolve()],
      ['connections', () => new Promise<void>((resolve) => (release = resolve))],
      ['server', () => Promise.resolve()],
    ]);
    const stopping = stop.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(stop.unfinished()).toEqual(['connections', 'server']);
    release();
    await stopping;
    expect(stop.unfinished()).toEqual([]);
  });
});

describe('shutdownDeadlineMs', () => {
  it('defaults to SHUTDOWN_DEADLINE_MS and takes a positive whole number of milliseconds', () => {
    expect(shutdownDeadlineMs({})).toBe(SHUTDOWN_DEADLINE_MS);
    expect(shutdownDeadlineMs({ SHUTDOWN_DEADLINE_MS: '5000' })).toBe(5000);
  });

  it('refuses anything else as a configuration error', () => {
    for (const bad of ['0', '-1', '2.5', 'soon']) expect(() => shutdownDeadlineMs({ SHUTDOWN_DEADLINE_MS: bad })).toThrow(ConfigError);
  });
});
