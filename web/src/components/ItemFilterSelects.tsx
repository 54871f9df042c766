import { Select } from 'antd';

import { ITEM_STATUS_NAMES, LIGHT_NAMES, type ItemStatus, type LightFilter } from '../lib/itemText';

export const LIGHTS = Object.keys(LIGHT_NAMES) as LightFilter[];
export const STATUSES = Object.keys(ITEM_STATUS_NAMES) as ItemStatus[];

/** The 灯色 filter of item lists (我的任务, 计划总览): several lights, sent as `light=red,yellow`. */
export function LightSelect(props: { value: LightFilter[]; onChange: (v: LightFilter[]) => void }) {
  return (
    <Select<LightFilter[]>
      mode="multiple"
      allowClear
      placeholder="灯色"
      aria-label="灯色"
      value={props.value}
      onChange={props.onChange}
      options={LIGHTS.map((l) => ({ value: l, label: LIGHT_NAMES[l] }))}
      className="filter"
      maxTagCount="responsive"
    />
  );
}

/** The 事项状态 filter of item lists: several statuses, sent as `status=in_progress,assigned`. */
export function StatusSelect(props: { value: ItemStatus[]; onChange: (v: ItemStatus[]) => void }) {
  return (
    <Select<ItemStatus[]>
      mode="multiple"
      allowClear
      placeholder="事项状态"
      aria-label="事项状态"
      value={props.value}
      onChange={props.onChange}
      options={STATUSES.map((x) => ({ value: x, label: ITEM_STATUS_NAMES[x] }))}
      className="filter"
      maxTagCount="responsive"
    />
  );
}
