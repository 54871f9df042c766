import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type ChartItem, type Plugin } from 'chart.js';

import type { DispatchPackDto } from '../dto/dispatch-pack.dto';
import { CHART_FONT_FAMILY, registerChartFonts } from './fonts';
import { CHART_COLOUR, CHART_TOP_UNITS, fmtNum, zhMonth } from './pack-format';

/** The pack's charts as PNG files, for the Word document (and anyone who wants them). */
export interface PackCharts {
  sections: Buffer;
  ranking: Buffer;
  trend: Buffer;
}

const WIDTH = 1000;
const HEIGHT = 500;
const BLUE = '#2F6FBA';
const GREY = '#9AA5B1';
const TEXT = '#333333';

let chartReady = false;

/** Registers chart.js parts and the CJK font once; chart.js keeps both in process-wide registries. */
function prepare(): void {
  if (chartReady) return;
  registerChartFonts();
  Chart.register(...registerables);
  Chart.defaults.font.family = CHART_FONT_FAMILY;
  Chart.defaults.color = TEXT;
  chartReady = true;
}

// chart.js leaves the canvas transparent; Word and image viewers would show it black or chequered.
const whiteBackground: Plugin = {
  id: 'packWhiteBackground',
  beforeDraw: (chart) => {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#FFFFFF';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

// Without data chart.js draws bare axes; say so in the middle of the plot.
const emptyNote: Plugin = {
  id: 'packEmptyNote',
  afterDraw: (chart) => {
    const hasData = chart.data.datasets.some((d) => d.data.some((v) => v !== null && v !== undefined));
    if (hasData) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.fillStyle = '#888888';
    ctx.font = `16px '${CHART_FONT_FAMILY}'`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('暂无数据', (chartArea.left + chartArea.right) / 2, (chartArea.top + chartArea.bottom) / 2);
    ctx.restore();
  },
};

// chart.js has no built-in data labels; a meeting chart is read for its numbers, so write them at the bar ends.
const barValues: Plugin<'bar'> = {
  id: 'packBarValues',
  afterDatasetsDraw: (chart) => {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.font = `12px '${CHART_FONT_FAMILY}'`;
    ctx.fillStyle = TEXT;
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      meta.data.forEach((bar, j) => {
        const value = dataset.data[j];
        if (typeof value !== 'number') return;
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        ctx.textAlign = horizontal ? 'left' : 'center';
        ctx.textBaseline = horizontal ? 'middle' : 'bottom';
        ctx.fillText(fmtNum(value), horizontal ? x + 4 : x, horizontal ? y : y - 3);
      });
    });
    ctx.restore();
  },
};

const title = (text: string) => ({
  display: true,
  text,
  font: { size: 20, weight: 'bold' as const },
  padding: { top: 6, bottom: 10 },
});

/** Long Chinese labels are cut so the axis keeps room for the bars. */
const shortLabel = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

async function draw(config: ChartConfiguration): Promise<Buffer> {
  prepare();
  const canvas = createCanvas(WIDTH, HEIGHT);
  // chart.js' BasicPlatform (no DOM) takes any object with getContext('2d'); the context's .canvas points back.
  const chart = new Chart(canvas.getContext('2d') as unknown as ChartItem, {
    ...config,
    options: {
      ...config.options,
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      // Right padding leaves room for the value written after a full-length bar.
      layout: { padding: { left: 12, right: 44, top: 8, bottom: 8 } },
    },
    plugins: [...(config.plugins ?? []), whiteBackground, emptyNote],
  });
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

function sectionsChart(pack: DispatchPackDto): ChartConfiguration<'bar'> {
  const labels = pack.sections.map((s) =>
    shortLabel(s.numbering ? `${s.numbering}、${s.title}` : s.title, 14),
  );
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: '完成率', data: pack.sections.map((s) => s.completion), backgroundColor: BLUE },
        { label: '序时进度', data: pack.sections.map((s) => s.expected), backgroundColor: GREY },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { title: title('各部分完成率与序时进度（%）'), legend: { position: 'top' } },
      scales: {
        x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } },
        y: { ticks: { font: { size: 13 } }, grid: { display: false } },
      },
    },
    plugins: [barValues],
  };
}

function rankingChart(pack: DispatchPackDto): ChartConfiguration<'bar'> {
  const top = pack.scoreboard
    .filter((u) => u.rank !== null)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
    .slice(0, CHART_TOP_UNITS);
  return {
    type: 'bar',
    data: {
      labels: top.map((u) => `${u.rank}. ${shortLabel(u.unitName, 12)}`),
      datasets: [
        {
          label: '考核得分',
          data: top.map((u) => u.score),
          backgroundColor: top.map((u) => (u.band ? (CHART_COLOUR[u.band] ?? GREY) : GREY)),
          barPercentage: 0.8,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: {
        title: title(`牵头单位考核排名（前${CHART_TOP_UNITS}名）`),
        subtitle: {
          display: true,
          text: '绿色：前25%　黄色：中间50%　红色：后25%',
          color: '#666666',
          padding: { bottom: 8 },
        },
        legend: { display: false },
      },
      scales: {
        x: { min: 0, max: 100, title: { display: true, text: '得分' } },
        y: { ticks: { autoSkip: false, font: { size: 12 } }, grid: { display: false } },
      },
    },
    plugins: [barValues],
  };
}

function trendChart(pack: DispatchPackDto): ChartConfiguration<'line'> {
  const labels = pack.trend.map((t) => (t.live ? `${zhMonth(t.period)}（实时）` : zhMonth(t.period)));
  return {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: '计划完成率',
          data: pack.trend.map((t) => t.completion),
          borderColor: BLUE,
          backgroundColor: BLUE,
          borderWidth: 3,
          pointRadius: 4,
        },
        {
          label: '序时进度',
          data: pack.trend.map((t) => t.expected),
          borderColor: GREY,
          backgroundColor: GREY,
          borderWidth: 2,
          borderDash: [6, 4],
          pointRadius: 3,
        },
      ],
    },
    options: {
      plugins: {
        title: title(`${pack.plan.year}年计划完成率趋势（%）`),
        // Line swatches, so the dashed 序时进度 reads as a dashed line rather than a hatched box.
        legend: { position: 'top', labels: { usePointStyle: true, pointStyle: 'line', pointStyleWidth: 40 } },
      },
      scales: {
        y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } },
        x: { grid: { display: false } },
      },
    },
  };
}

/** Renders the pack's three charts (1000×500 PNG, white background, Chinese text in Noto Sans SC). */
export async function renderPackCharts(pack: DispatchPackDto): Promise<PackCharts> {
  // One at a time: each holds a 2 MB canvas, and there is nothing to gain from overlapping them.
  const sections = await draw(sectionsChart(pack) as ChartConfiguration);
  const ranking = await draw(rankingChart(pack) as ChartConfiguration);
  const trend = await draw(trendChart(pack) as ChartConfiguration);
  return { sections, ranking, trend };
}
