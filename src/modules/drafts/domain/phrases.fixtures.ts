/**
 * Test fixtures for the phrase rules: the demo organizations' units (seeds/data/organizations.yaml) as a
 * DraftContext, and the two source documents. Ids are "<org>.<unit code>" so expectations stay readable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { load } from 'js-yaml';

import type { DraftContext, UnitRef } from './types';

const SEED_DATA = join(__dirname, '..', '..', '..', '..', 'seeds', 'data');

interface SeedUnit {
  code: string;
  name: string;
  kind: string;
  children?: SeedUnit[];
}

export function demoUnits(org: 'xxs' | 'yueyang'): UnitRef[] {
  const doc = load(readFileSync(join(SEED_DATA, 'organizations.yaml'), 'utf8')) as {
    organizations: { code: string; units: SeedUnit[] }[];
  };
  const units: UnitRef[] = [];
  const walk = (list: SeedUnit[]) => {
    for (const u of list) {
      units.push({ id: `${org}.${u.code}`, name: u.name, kind: u.kind });
      walk(u.children ?? []);
    }
  };
  walk(doc.organizations.find((o) => o.code === org)!.units);
  return units;
}

export function demoContext(org: 'xxs' | 'yueyang', year = 2022): DraftContext {
  return { year, units: demoUnits(org) };
}

export const SOURCE_FILES = { xxs: '000_05d2b2c07432a0b9.txt', yueyang: '001_6cb42317fb5cf8d5.txt' } as const;

export function sourceText(org: 'xxs' | 'yueyang'): string {
  return readFileSync(join(SEED_DATA, 'source-documents', SOURCE_FILES[org]), 'utf8');
}
