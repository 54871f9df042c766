import { DomainError, ErrorCode } from '../../core/errors/domain-error';

/** The plans module's recurring refusals, in the words users read. */
export const PlanErrors = {
  planNotFound: () => DomainError.notFound('计划'),
  sectionNotFound: () => DomainError.notFound('计划部分'),
  taskNotFound: () => DomainError.notFound('重点任务'),
  itemNotFound: () => DomainError.notFound('具体事项'),
  notAllowed: () => DomainError.forbidden('没有权限管理该计划，只有系统管理员和督查室可以操作'),
  itemNotReadable: () => DomainError.forbidden('没有权限查看该事项'),
  itemNotManageable: () =>
    DomainError.forbidden('没有权限修改该事项：只能管理牵头单位在本单位及下级单位的事项'),
  archived: () => DomainError.conflict('计划已归档，不能再修改'),
  deleteOnlyDraft: () => DomainError.conflict('计划已发布，不能删除，只能取消'),
  stalePlan: () =>
    new DomainError(ErrorCode.Conflict, '该计划已被他人修改，请刷新后重试', [
      { field: 'version', message: '版本已过期' },
    ]),
  staleVersion: () =>
    new DomainError(ErrorCode.Conflict, '该事项已被他人修改，请刷新后重试', [
      { field: 'version', message: '版本已过期' },
    ]),
};
