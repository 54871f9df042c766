export { CHART_FONT_FAMILY, registerChartFonts } from './fonts';
export { renderPackCharts, type PackCharts } from './pack-charts';
export { renderPackDocx } from './pack-docx';
export { packSummaryProse } from './pack-prose';
export { renderPackXlsx } from './pack-xlsx';
