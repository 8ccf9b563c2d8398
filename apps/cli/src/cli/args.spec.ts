import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelpRequested, outputTarget, parseCommand, UsageError } from './args';

const SPEC = { usage: 'usage: test', positionals: ['command'], options: { out: { type: 'string' }, quiet: { type: 'boolean' } } } as const;

describe('parseCommand', () => {
  it('answers --help with the usage, whatever else is on the line', () => {
    expect(() => parseCommand(SPEC, ['run', '--bogus', '--help'])).toThrow(new HelpRequested('usage: test'));
  });

  it.each([
    [['run', '--bogus'], "Unknown option '--bogus' (--help lists the options)"],
    [['run', '--out'], "Option '--out <value>' argument missing (--help lists the options)"],
    [['run', 'twice'], "unexpected argument 'twice' (--help lists the options)"],
  ])('%j is one line of usage error', (argv, message) => {
    expect(() => parseCommand(SPEC, argv)).toThrow(new UsageError(message));
  });

  it('gives the values and positionals it accepts', () => {
    expect(parseCommand(SPEC, ['run', '--out', 'x.csv', '--quiet'])).toMatchObject({
      positionals: ['run'],
      values: { out: 'x.csv', quiet: true },
    });
  });
});

describe('outputTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-args-'));

  it('takes the format from --format, else from the extension of --out, else JSON on stdout', () => {
    expect(outputTarget(undefined, undefined, ['json', 'csv'])).toEqual({ path: undefined, format: 'json' });
    expect(outputTarget(undefined, 'csv', ['json', 'csv'])).toEqual({ path: undefined, format: 'csv' });
    expect(outputTarget(join(dir, 'r.CSV'), undefined, ['json', 'csv'])).toEqual({ path: join(dir, 'r.CSV'), format: 'csv' });
    expect(outputTarget(join(dir, 'r.txt'), 'json', ['json', 'csv'])).toEqual({ path: join(dir, 'r.txt'), format: 'json' });
  });

  it.each([
    [join('DIR', 'r.xlsx'), undefined, /'.xlsx' is not a format this command writes/],
    [join('DIR', 'report'), undefined, /'\(no extension\)' is not a format/],
    [join('DIR', 'r.csv'), 'json', /names csv but --format is json/],
    [undefined, 'xml', /--format must be json or csv, got 'xml'/],
    ['/nonexistent/dir/r.json', undefined, /directory \/nonexistent\/dir does not exist/],
    ['DIR', 'json', /is a directory/],
  ])('refuses --out %s --format %s', (out, format, message) => {
    expect(() => outputTarget(out?.replace('DIR', dir), format, ['json', 'csv'])).toThrow(message);
  });

  it('refuses a format the command does not write', () => {
    expect(() => outputTarget(join(dir, 'r.csv'), undefined, ['json'])).toThrow(/use .json, or --format/);
  });
});
