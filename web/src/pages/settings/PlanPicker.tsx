import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect } from 'react';

import { api, call, type Schemas } from '../../api/client';

/** The organization's plans (one a year, so the whole list), newest year first. */
export function usePlans() {
  return useQuery({
    queryKey: ['plans'],
    queryFn: () => call(api.GET('/api/v1/plans')),
    staleTime: 60_000,
  });
}

/** The plan the page works on by default: the newest published one, else the newest. */
export function defaultPlan(plans: Schemas['PlanDto'][]): Schemas['PlanDto'] | undefined {
  const sorted = [...plans].sort((a, b) => b.year - a.year);
  return sorted.find((p) => p.status === 'published') ?? sorted[0];
}

/** A plan picker ("2022 年 · 标题 · 已发布") that picks the default plan once the list has loaded. */
export function PlanPicker(props: { value: string | undefined; onChange: (id: string) => void }) {
  const plans = usePlans();
  const { value, onChange } = props;
  useEffect(() => {
    if (!value && plans.data) {
      const d = defaultPlan(plans.data);
      if (d) onChange(d.id);
    }
  }, [value, plans.data, onChange]);
  return (
    <Select
      data-testid="plan-picker"
      style={{ minWidth: 320, maxWidth: '100%' }}
      loading={plans.isPending}
      value={value}
      onChange={onChange}
      placeholder="选择计划"
      options={[...(plans.data ?? [])]
        .sort((a, b) => b.year - a.year)
        .map((p) => ({ value: p.id, label: `${p.year} 年 · ${p.title} · ${p.statusName}` }))}
    />
  );
}
