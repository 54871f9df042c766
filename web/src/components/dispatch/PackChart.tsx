import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the pieces the pack's charts use, so they stay inside the 月调度 chunk.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

/** An ECharts chart that follows its container's width. */
export function PackChart({
  option,
  height = 280,
  testId,
}: {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}

const COLORS = { completion: '#1677ff', expected: '#faad14' };

/** 完成率 vs 序时进度 per cycle cut-off. */
export function trendOption(
  points: { period: string; completion: number | null; expected: number | null }[],
): EChartsCoreOption {
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`),
    },
    legend: { data: ['完成率', '序时进度'], top: 0, left: 'center' },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: points.map((p) => p.period) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: '完成率',
        type: 'line',
        data: points.map((p) => p.completion),
        color: COLORS.completion,
        smooth: true,
      },
      {
        name: '序时进度',
        type: 'line',
        data: points.map((p) => p.expected),
        color: COLORS.expected,
        lineStyle: { type: 'dashed' },
      },
    ],
  };
}

/** Completion and 序时进度 by section (horizontal bars). */
export function sectionsOption(
  sections: { numbering: string | null; title: string; completion: number | null; expected: number | null }[],
): EChartsCoreOption {
  const names = sections.map((s) => `${s.numbering ? `${s.numbering} ` : ''}${s.title}`).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['完成率', '序时进度'], top: 0, left: 'center' },
    grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: names, axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      {
        name: '完成率',
        type: 'bar',
        data: [...sections].reverse().map((s) => s.completion),
        color: COLORS.completion,
      },
      {
        name: '序时进度',
        type: 'bar',
        data: [...sections].reverse().map((s) => s.expected),
        color: COLORS.expected,
      },
    ],
  };
}

const BAND_COLORS: Record<string, string> = { green: '#52c41a', yellow: '#faad14', red: '#ff4d4f' };

/** The lead units' scores, coloured by quartile. */
export function rankingOption(
  rows: { unitName: string; score: number | null; band: string | null }[],
): EChartsCoreOption {
  const ranked = rows.filter((r) => r.score !== null);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 16, bottom: 24, containLabel: true },
    xAxis: { type: 'category', data: ranked.map((r) => r.unitName), axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: 'value', name: '得分' },
    series: [
      {
        name: '得分',
        type: 'bar',
        data: ranked.map((r) => ({
          value: r.score,
          itemStyle: { color: BAND_COLORS[r.band ?? ''] ?? '#bfbfbf' },
        })),
      },
    ],
  };
}
