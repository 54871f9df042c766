import { jobId } from './queue-names';

describe('jobId', () => {
  it('never contains a colon (BullMQ rejects it) and is stable for the same parts', () => {
    const id = jobId('system-cleanup', '2022-06-15T09');
    expect(id).toBe('system-cleanup-2022-06-15T09');
    expect(jobId('reminder', 'a:b', 'c d')).toBe('reminder-a_b-c_d');
    expect(jobId('x', '2022-06-15T09:00:00Z')).not.toContain(':');
  });
});
