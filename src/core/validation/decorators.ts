import {
  getMetadataStorage,
  Validate,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

import { isValidDate } from '../calendar/dates';

/** Always passes: it only carries a field's Chinese name in class-validator's metadata. */
@ValidatorConstraint({ name: 'fieldLabel' })
export class FieldLabelConstraint implements ValidatorConstraintInterface {
  validate(): boolean {
    return true;
  }
}

/**
 * The Chinese name of a DTO field, used in every validation message about it ("完成率（percent）不能大于 100").
 * Kept as class-validator metadata (not Reflect metadata) so Nest's PartialType/OmitType copy it with the
 * rules, and an "update" DTO names its fields like the "create" DTO it is derived from.
 */
export function Label(label: string): PropertyDecorator {
  return Validate(FieldLabelConstraint, [label]);
}

type Constructor = abstract new (...args: never[]) => unknown;
const labelCache = new Map<Constructor, Map<string, string>>();

/** Every labelled field of a DTO class (its own, inherited and copied by mapped types). */
export function labelsOf(cls: Constructor): Map<string, string> {
  let labels = labelCache.get(cls);
  if (!labels) {
    labels = new Map();
    for (const m of getMetadataStorage().getTargetValidationMetadatas(
      cls as unknown as new () => object,
      '',
      true,
      false,
    )) {
      if (m.constraintCls === FieldLabelConstraint && !labels.has(m.propertyName)) {
        labels.set(m.propertyName, String(m.constraints[0]));
      }
    }
    labelCache.set(cls, labels);
  }
  return labels;
}

/** The first constraint value of one named rule on a field (the 100 of `@Max(100)`), if declared. */
export function constraintValue(cls: Constructor, property: string, rule: string): unknown {
  const m = getMetadataStorage()
    .getTargetValidationMetadatas(cls as unknown as new () => object, '', true, false)
    .find((x) => x.propertyName === property && x.name === rule);
  return m?.constraints?.[0];
}

/**
 * A real calendar day 'YYYY-MM-DD' between 2000 and 2100: '2022-02-30' and '0000-01-01' (which
 * PostgreSQL refuses) are refused here, naming the field.
 */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' &&
          isValidDate(v) &&
          Number(v.slice(0, 4)) >= 2000 &&
          Number(v.slice(0, 4)) <= 2100,
        defaultMessage: () => '$property must be a calendar date',
      },
    },
    options,
  );
}

/** Text with at least one character that is not white space (full-width spaces included). */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && v.trim().length > 0,
        defaultMessage: () => '$property must not be blank',
      },
    },
    options,
  );
}

/**
 * May be left out, but not sent as null: unlike `@IsOptional()`, null is validated (and refused by
 * the field's type rule), so a PATCH cannot write null into a setting that must have a value.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_o, v) => v !== undefined);
}
