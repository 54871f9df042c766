import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { GlobalFonts } from '@napi-rs/canvas';

/** The family the chart PNGs draw Chinese text in (registered from @fontsource/noto-sans-sc). */
export const CHART_FONT_FAMILY = 'Noto Sans SC';

let registered = false;

/**
 * Registers the Noto Sans SC regular-weight subsets with @napi-rs/canvas once per process: the worker
 * image has no CJK system font, and without one every Chinese glyph would draw as a box.
 */
export function registerChartFonts(): void {
  if (registered) return;
  const files = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  const subsets = readdirSync(files).filter((f) => f.endsWith('-400-normal.woff2'));
  if (subsets.length === 0) throw new Error(`No Noto Sans SC 400 subsets found in ${files}.`);
  for (const f of subsets) GlobalFonts.registerFromPath(join(files, f), CHART_FONT_FAMILY);
  registered = true;
}
