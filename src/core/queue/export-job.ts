import { JobPayloads } from './queue-names';

/**
 * The job that generates one pack export. Its id is the export's, so the relay and the sweeper
 * re-adding it (after a crash or a flushed Redis) never make two; removed when finished, so a
 * sweep can add it again if its row is still unfinished.
 */
export function exportJob(exportId: string) {
  return {
    name: 'dispatch.export' as const,
    data: { exportId } satisfies JobPayloads['dispatch.export'],
    opts: {
      jobId: `export-${exportId}`,
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}
