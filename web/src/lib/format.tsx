import { Tag } from 'antd';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The bureau's time zone: instants read as in Shanghai whatever the browser's own zone. */
export const BUREAU_TZ = 'Asia/Shanghai';

export type Light = 'red' | 'yellow' | 'green' | null | undefined;

const LIGHTS: Record<'red' | 'yellow' | 'green', { color: string; text: string }> = {
  red: { color: 'error', text: '红灯' },
  yellow: { color: 'warning', text: '黄灯' },
  green: { color: 'success', text: '绿灯' },
};

/** The item's light as the bureau says it: 红灯 / 黄灯 / 绿灯, or 未亮灯 when not computed or not counted. */
export function LightTag({ light }: { light: Light }) {
  if (!light) return <Tag>未亮灯</Tag>;
  const l = LIGHTS[light];
  return (
    <Tag color={l.color} data-light={light}>
      {l.text}
    </Tag>
  );
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${Math.round(v * 10) / 10}%`;
}

export function date(v: string | null | undefined): string {
  // A plain YYYY-MM-DD is a calendar date already; an instant is converted to Shanghai's date.
  if (!v) return '—';
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : dayjs(v).tz(BUREAU_TZ).format('YYYY-MM-DD');
}

export function dateTime(v: string | null | undefined): string {
  return v ? dayjs(v).tz(BUREAU_TZ).format('YYYY-MM-DD HH:mm') : '—';
}

export const ROLE_NAMES: Record<string, string> = {
  admin: '系统管理员',
  dispatcher: '督查室',
  leader: '局领导',
  head: '负责人',
  member: '工作人员',
  viewer: '只读',
  sysadmin: '平台管理员',
};
