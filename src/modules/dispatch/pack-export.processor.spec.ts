import { Job } from 'bullmq';

import { OrgRepository } from '../org/org.repository';
import { DispatchService } from './dispatch.service';
import { PackExportProcessor } from './pack-export.processor';
import { PackExportsRepository } from './pack-exports.repository';

describe('PackExportProcessor failures', () => {
  const row = {
    id: 'e1',
    organizationId: 'o1',
    requestedBy: 'u1',
    cycleId: 'c1',
    format: 'xlsx',
    attempts: 1,
  };
  const user = {
    id: 'u1',
    username: 'x',
    name: '刘洋',
    organizationId: 'o1',
    unitId: 'un1',
    roles: ['dispatcher'],
    active: true,
  };

  function processor(packError: Error) {
    const failed = jest.fn().mockResolvedValue(undefined);
    const exports = { claim: jest.fn().mockResolvedValue(row), failed, progress: jest.fn() };
    const org = { getUser: jest.fn().mockResolvedValue(user) };
    const dispatch = { pack: jest.fn().mockRejectedValue(packError) };
    const p = new PackExportProcessor(
      exports as unknown as PackExportsRepository,
      org as unknown as OrgRepository,
      dispatch as unknown as DispatchService,
    );
    return { p, failed };
  }
  const job = { data: { exportId: 'e1' } } as unknown as Job<
    { exportId: string },
    unknown,
    'dispatch.export'
  >;

  it('stores a Chinese reason for the requester, not the internal error text', async () => {
    const { p, failed } = processor(new Error('canceling statement due to statement timeout'));
    await expect(p.process(job)).rejects.toThrow('statement timeout');
    expect(failed).toHaveBeenCalledWith('e1', '生成文件时出错', false);
  });
});
