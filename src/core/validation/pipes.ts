import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

import { DomainError } from '../errors/domain-error';
import { fieldLabel } from '../errors/validation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const nameOf = (metadata: ArgumentMetadata) => metadata.data ?? 'id';

/** A path or query id: a UUID, or a 400 naming the parameter in Chinese (not Nest's English text). */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value;
    const name = nameOf(metadata);
    const where = name === 'id' ? '路径中的 ID（id）' : fieldLabel(name);
    throw DomainError.invalid(name, `${where}格式不正确，应为 UUID`);
  }
}

/** A year in the path: four digits from 2000 to 2100. */
@Injectable()
export class YearPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    // The global ValidationPipe (transform) may already have made the path's text a number.
    const text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
    const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
    if (year >= 2000 && year <= 2100) return year;
    const name = nameOf(metadata);
    throw DomainError.invalid(name, `${fieldLabel(name)}必须是 2000～2100 之间的年份`);
  }
}
