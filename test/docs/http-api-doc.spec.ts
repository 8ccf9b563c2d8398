import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ArgumentsHost, HttpException, Logger } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@loyalty/domain';
import { ConcurrencyExhaustedError, EventStoreUnavailableError } from '@loyalty/event-store';
import { ErrorFilter } from '../../apps/ledger-api/src/http/error-filter';
import { memberTokenError } from '../../apps/ledger-api/src/me/member-tokens';
import { startTestLedger } from '../support/ledger';

/**
 * docs/http-api.md is the contract clients read, so it must not fall behind
 * the code: every route the app serves has its own heading there, no heading
 * names a route the app does not serve, and every error code the app can
 * answer is in its table with the status the error filter gives it.
 */

const ROOT = path.join(__dirname, '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'http-api.md'), 'utf8');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const ROUTE_HEADING = /^#{2,4} `([A-Z]+ \/\S*)`$/gm;
const CODE_ROW = /^\| `([A-Z][A-Z0-9_]+)` \| ([\d, ]+) \|/gm;

const documentedRoutes = [...DOC.matchAll(ROUTE_HEADING)].map((m) => m[1]!);
const documentedStatuses = new Map([...DOC.matchAll(CODE_ROW)].map((m) => [m[1]!, m[2]!.split(',').map((s) => Number(s.trim()))]));

/** What the one error filter answers for an exception: the status and the stable code. */
function throughFilter(exception: unknown): { status: number; code: string } {
  let status = 0;
  let code = '';
  const reply = {
    header: () => reply,
    status: (s: number) => ((status = s), reply),
    send: (body: { error: { code: string } }) => ((code = body.error.code), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return { status, code };
}

const HELPER_KINDS: Record<string, DomainErrorKind> = {
  invalid: 'invalid',
  notFound: 'not_found',
  conflict: 'conflict',
  rejected: 'rejected',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** Every code the sources raise with a status known from the code itself, and the codes whose status the caller picks. */
function raisedCodes(): { withStatus: Array<{ code: string; status: number; file: string }>; withoutStatus: string[] } {
  const withStatus: Array<{ code: string; status: number; file: string }> = [];
  const withoutStatus: string[] = [];
  const files = ['apps', 'libs'].flatMap((top) =>
    readdirSync(path.join(ROOT, top)).flatMap((project) => sourceFiles(path.join(ROOT, top, project, 'src'))),
  );
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const at = path.relative(ROOT, file);
    for (const [, helper, code] of text.matchAll(/\b(invalid|notFound|conflict|rejected)\(\s*'([A-Z][A-Z0-9_]+)'/g)) {
      withStatus.push({ code: code!, status: throughFilter(new DomainError(code!, HELPER_KINDS[helper!]!, 'x')).status, file: at });
    }
    for (const [, status, code] of text.matchAll(/new ApiError\(\s*(\d{3})\s*,\s*'([A-Z][A-Z0-9_]+)'/g)) {
      withStatus.push({ code: code!, status: Number(status), file: at });
    }
    for (const [, code] of text.matchAll(/memberTokenError\(\s*'([A-Z][A-Z0-9_]+)'/g)) {
      withStatus.push({ code: code!, status: throughFilter(memberTokenError(code!, 'x')).status, file: at });
    }
    for (const [, code] of text.matchAll(/new TargetRefusedError\(\s*'([A-Z][A-Z0-9_]+)'/g)) withoutStatus.push(code!);
  }
  return { withStatus, withoutStatus };
}

describe('docs/http-api.md', () => {
  let servedRoutes: string[];

  beforeAll(async () => {
    const t = await startTestLedger('http-api-doc');
    try {
      const docs = await t.call('GET', '/docs/json', undefined, { key: null });
      servedRoutes = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([route, operations]) =>
        Object.keys(operations)
          .filter((method) => HTTP_METHODS.includes(method))
          .map((method) => `${method.toUpperCase()} ${route}`),
      );
    } finally {
      await t.close();
    }
  }, 120_000);

  it('has a heading for every route the app serves, and none for a route it does not', () => {
    expect(servedRoutes.length).toBeGreaterThan(0);
    expect(servedRoutes.filter((route) => !documentedRoutes.includes(route))).toEqual([]);
    expect(documentedRoutes.filter((route) => !servedRoutes.includes(route))).toEqual([]);
  });

  it('lists every code of the error filter with the status the filter gives it', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const mapped = [
      new ConcurrencyExhaustedError('member-m-1'),
      new EventStoreUnavailableError('down'),
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      new HttpException('Unexpected token } in JSON at position 1', 400),
      new HttpException('Bad Request', 400),
      new HttpException('Cannot GET /nowhere', 404),
      new HttpException('Method Not Allowed', 405),
      new HttpException('Payload Too Large', 413),
      new HttpException('Unsupported Media Type', 415),
      new Error('a fault'),
    ].map(throughFilter);
    expect(mapped.map((m) => m.code)).not.toContain('');
    expect(mapped.filter(({ code, status }) => !documentedStatuses.get(code)?.includes(status))).toEqual([]);
  });

  it('lists every error code the domain and the app raise, with its status', () => {
    const { withStatus, withoutStatus } = raisedCodes();
    expect(withStatus.length).toBeGreaterThan(50);
    expect(withStatus.filter(({ code, status }) => !documentedStatuses.get(code)?.includes(status))).toEqual([]);
    expect(withoutStatus.filter((code) => !documentedStatuses.has(code))).toEqual([]);
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

describe('the repository documents itself', () => {
  it('resolves every relative link of docs/http-api.md and docs/invariants.md, anchors included', () => {
    const broken = ['http-api.md', 'invariants.md'].flatMap((name) => {
      const text = readFileSync(path.join(ROOT, 'docs', name), 'utf8');
      return [...text.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)]
        .filter(([, target]) => !/^[a-z]+:/.test(target!))
        .filter(([, target, anchor]) => {
          const file = target ? path.join(ROOT, 'docs', target) : path.join(ROOT, 'docs', name);
          if (!existsSync(file)) return true;
          return anchor !== undefined && !anchorsOf(readFileSync(file, 'utf8')).has(anchor);
        })
        .map(([link]) => `${name}: ${link}`);
    });
    expect(broken).toEqual([]);
  });

  it('points nowhere outside the repository: no shared folder, no contract or design file that is not in it', () => {
    const outside = new RegExp(['\\.\\./shared', '/work/(?:shared)', '\\b(API|DESIGN|STYLE)\\.md\\b'].join('|'));
    const skipped = new Set(['node_modules', '.git', 'dist', '.data', 'test-output', '.bench-build', 'coverage']);
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (skipped.has(entry.name)) return [];
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return walk(full);
        return /\.(ts|js|mjs|md|json|ya?ml|sh)$|^Dockerfile$|^run$/.test(entry.name) ? [full] : [];
      });
    const offending = walk(ROOT)
      .filter((file) => !file.endsWith('package-lock.json') && !file.endsWith('bench-results.json'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, index }))
          .filter(({ line }) => outside.test(line))
          .map(({ index }) => `${path.relative(ROOT, file)}:${index + 1}`),
      );
    expect(offending).toEqual([]);
  });
});
