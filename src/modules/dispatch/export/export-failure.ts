import { DomainError } from '../../../core/errors/domain-error';

const GENERIC = '生成文件时出错';
const CJK = /[\u4e00-\u9fff]/;

/**
 * What a failed export records as its reason, for its requester to read: our own refusals (a
 * DomainError: the cycle is gone, the requester was deactivated) as they are; anything else (a driver
 * error, a bug in rendering) as a generic Chinese reason. The detail goes to the worker's log only.
 */
export function exportFailureReason(err: unknown): string {
  return err instanceof DomainError ? err.message : GENERIC;
}

/** The sentence shown for a failed export; a reason stored before reasons were Chinese reads as generic. */
export function exportFailureMessage(reason: string | null): string {
  return `导出失败：${reason && CJK.test(reason) ? reason : GENERIC}，请重新导出`;
}
