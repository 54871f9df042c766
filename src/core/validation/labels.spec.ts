import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { getMetadataStorage, ValidationTypes } from 'class-validator';

import { FieldLabelConstraint, labelsOf } from './decorators';

const MODULES = join(__dirname, '..', '..', 'modules');

/** Every class exported by a DTO file under src/modules/<module>/dto. */
function dtoClasses(): [string, new () => object][] {
  const out: [string, new () => object][] = [];
  for (const module of readdirSync(MODULES)) {
    let files: string[] = [];
    try {
      files = readdirSync(join(MODULES, module, 'dto')).filter(
        (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'),
      );
    } catch {
      continue;
    }
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(join(MODULES, module, 'dto', file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exported)) {
        if (typeof value === 'function')
          out.push([`${module}/dto/${file} ${name}`, value as new () => object]);
      }
    }
  }
  return out;
}

describe('DTO field labels', () => {
  it('every validated field of every DTO has a Chinese label', () => {
    const classes = dtoClasses();
    const validated = classes.filter(
      ([, cls]) => getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).length > 0,
    );
    expect(validated.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const [where, cls] of validated) {
      const labels = labelsOf(cls);
      const fields = new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(cls, '', true, false)
          .filter((m) => m.constraintCls !== FieldLabelConstraint && m.type !== ValidationTypes.WHITELIST)
          .map((m) => m.propertyName),
      );
      for (const field of fields) {
        if (!/[\u4e00-\u9fff]/.test(labels.get(field) ?? '')) missing.push(`${where}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
