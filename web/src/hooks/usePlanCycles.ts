import { useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';

/** "2022-06" → "2022年6月". */
export function periodName(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}

/**
 * The dispatch cycles (调度周期) of the current published plan, for the cycle filter: the plans list is short
 * (one a year), and only the newest published plan's cycles are asked for.
 */
export function usePlanCycles() {
  const plans = useQuery({
    queryKey: ['plans'],
    queryFn: () => call(api.GET('/api/v1/plans')),
    staleTime: 10 * 60_000,
  });
  const plan = (plans.data ?? []).filter((p) => p.status === 'published').sort((a, b) => b.year - a.year)[0];
  const cycles = useQuery({
    queryKey: ['plan', plan?.id, 'cycles'],
    queryFn: () => call(api.GET('/api/v1/plans/{id}/cycles', { params: { path: { id: plan!.id } } })),
    enabled: !!plan,
    staleTime: 10 * 60_000,
  });
  return { plan, cycles: cycles.data ?? [], isPending: plans.isPending || (!!plan && cycles.isPending) };
}
