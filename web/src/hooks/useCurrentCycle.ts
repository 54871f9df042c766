import { useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';

/**
 * The current dispatch cycle, from the 工作台 summary (same query key, so usually already cached), and the
 * first day of it ("2022-06" → "2022-06-01"; cycles are monthly).
 */
export function useCurrentCycle() {
  const summary = useQuery({
    queryKey: ['me', 'summary'],
    queryFn: () => call(api.GET('/api/v1/me/summary')),
  });
  const cycle = summary.data?.cycle ?? null;
  return {
    cycle,
    cycleStart: cycle && /^\d{4}-\d{2}$/.test(cycle.period) ? `${cycle.period}-01` : undefined,
  };
}
