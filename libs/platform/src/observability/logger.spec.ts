import { ConfigError } from '../config/config';
import { createLogger, LOG_LEVEL_DEFAULT, logLevelFrom } from './logger';

describe('logLevelFrom', () => {
  it('defaults to info and takes any pino level, in any case', () => {
    expect(logLevelFrom({})).toBe(LOG_LEVEL_DEFAULT);
    expect(LOG_LEVEL_DEFAULT).toBe('info');
    expect(logLevelFrom({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFrom({ LOG_LEVEL: 'silent' })).toBe('silent');
  });

  it('refuses an unknown level instead of guessing', () => {
    expect(() => logLevelFrom({ LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
  });
});

describe('createLogger', () => {
  const capture = (level?: 'warn') => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ level, destination: { write: (line: string) => void lines.push(line) } }) };
  };

  it('writes one JSON object per line with the level by name and an ISO time', () => {
    const { lines, logger } = capture();
    logger.info({ route: '/v1/purchases' }, 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'request completed', route: '/v1/purchases' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('never writes a key, a bearer token or a cookie, even when a request is logged whole', () => {
    const { lines, logger } = capture();
    const headers = { authorization: 'Bearer t0ken', cookie: 'sid=c00kie', 'x-api-key': 'k3y', accept: 'application/json' };
    logger.error({ req: { headers }, headers }, 'failed');
    expect(lines[0]).not.toMatch(/t0ken|c00kie|k3y/);
    expect(lines[0]).toContain('application/json');
  });

  it('writes nothing below its level', () => {
    const { lines, logger } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['loud']);
  });
});
