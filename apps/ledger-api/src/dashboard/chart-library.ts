import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Chart.js, served from the installed package so the dashboard needs no CDN.
 * The package's exports map names only its module builds, so the browser
 * (UMD) build is found beside the CommonJS entry point.
 */
const CHART_DIST_DIR = dirname(require.resolve('chart.js'));
const CHART_VERSION: string = (JSON.parse(readFileSync(join(CHART_DIST_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** The version in the URL lets the file be cached for a year: an upgrade changes the URL the pages ask for. */
export const CHART_LIBRARY_URL = `/dashboard/vendor/chart.umd.min.js?v=${CHART_VERSION}`;
export const CHART_LIBRARY_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Read once, when the dashboard controller is built, not per request. */
export function readChartLibrary(): string {
  return readFileSync(join(CHART_DIST_DIR, 'chart.umd.min.js'), 'utf8');
}
