import { GlobalFonts } from '@napi-rs/canvas';

import { samplePack } from './fixtures';
import { CHART_FONT_FAMILY, registerChartFonts } from './fonts';
import { renderPackCharts } from './pack-charts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('renderPackCharts', () => {
  it('registers the Noto Sans SC family once, however often it is asked', () => {
    // Each registered subset adds a style entry to the family; a second registration would double them.
    const faces = () => GlobalFonts.families.find((f) => f.family === CHART_FONT_FAMILY)?.styles.length ?? 0;
    registerChartFonts();
    const once = faces();
    registerChartFonts();
    expect(GlobalFonts.has(CHART_FONT_FAMILY)).toBe(true);
    expect(once).toBeGreaterThan(50);
    expect(faces()).toBe(once);
  });

  it('draws the three charts as 1000×500 PNGs', async () => {
    const charts = await renderPackCharts(samplePack());
    for (const png of [charts.sections, charts.ranking, charts.trend]) {
      expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(pngSize(png)).toEqual({ width: 1000, height: 500 });
      // A blank white canvas compresses to a few kB; drawn bars, lines and CJK text do not.
      expect(png.length).toBeGreaterThan(15_000);
    }
    expect(charts.sections.equals(charts.ranking)).toBe(false);
  });

  it('draws empty charts (no sections, units or trend) without failing', async () => {
    const pack = samplePack();
    pack.sections = [];
    pack.scoreboard = [];
    pack.trend = [];
    const charts = await renderPackCharts(pack);
    for (const png of Object.values(charts)) expect(pngSize(png)).toEqual({ width: 1000, height: 500 });
  });
});
