import { DomainError } from '../../../core/errors/domain-error';
import { exportFailureMessage, exportFailureReason } from './export-failure';

describe('export failure text', () => {
  it('keeps our own refusals and hides anything internal', () => {
    expect(exportFailureReason(DomainError.forbidden('导出人账号已停用'))).toBe('导出人账号已停用');
    expect(exportFailureReason(new Error('relation "pack_exports" does not exist'))).toBe('生成文件时出错');
    expect(exportFailureReason(new TypeError("Cannot read properties of undefined (reading 'title')"))).toBe(
      '生成文件时出错',
    );
  });

  it('shows one Chinese sentence, also for a reason stored in English by an older version', () => {
    expect(exportFailureMessage('导出人账号已停用')).toBe('导出失败：导出人账号已停用，请重新导出');
    expect(exportFailureMessage('Connection terminated unexpectedly')).toBe(
      '导出失败：生成文件时出错，请重新导出',
    );
    expect(exportFailureMessage(null)).toBe('导出失败：生成文件时出错，请重新导出');
  });
});
