/**
 * A plan draft read from a work report (导入工作报告): the shape the parser produces, the API returns and the
 * review page edits. Pure types, shared by the parser (outline.ts, phrases.ts, draft.ts), the drafts module and
 * the web app.
 */
import type { Cadence } from '../../plans/domain/types';

export type DraftComparator = '>=' | '<=' | '=' | 'range';

/**
 * One quantitative target as read from the text. `value` is a number, or a string when the source redacts it
 * ("x.x") or states a range ("1-2", "x-x"); for `range` it is always "<lower>-<upper>".
 */
export interface DraftTarget {
  metric: string;
  comparator: DraftComparator;
  value: number | string;
  unit: string | null;
}

export interface DraftItem {
  /** A short title proposed from the text (editable). */
  title: string;
  /** The source's own words (after review edits: whatever the reviewer left). */
  text: string;
  cadence: Cadence;
  /** ISO date (YYYY-MM-DD) or null when the text names none. */
  deadline: string | null;
  targets: DraftTarget[];
  /** Unit names as the text writes them (街道, 综合执法中队, 住建部门, 各区 …), in order of appearance. */
  units: string[];
  /** Per entry of `units`: the organization's unit it matches, or null (proposed as new). */
  unitIds: (string | null)[];
  /** [start, end) character offsets (UTF-16) of `text` in the source; null for items the reviewer added. */
  span: [number, number] | null;
  /** Review assignments; the parser proposes leadUnitId (the 牵头单位 column, else the first matched unit). */
  leadUnitId: string | null;
  coUnitIds: string[];
  responsibleLeaderId: string | null;
  ownerId: string | null;
}

/** `indicators`: a 主要任务指标 list; `other`: the catch-all paragraph (统筹做好…等工作) after the key tasks. */
export type DraftTaskKind = 'task' | 'indicators' | 'other';

export interface DraftTask {
  numbering: string | null;
  title: string;
  kind: DraftTaskKind;
  /** Where the task's heading starts and its body ends in the source. */
  span: [number, number] | null;
  items: DraftItem[];
}

export interface DraftSection {
  numbering: string | null;
  title: string;
  span: [number, number] | null;
  tasks: DraftTask[];
}

/** An organization unit the parser may match names against. */
export interface UnitRef {
  id: string;
  name: string;
  /** leadership | office | squad | street | company | external */
  kind: string;
}

export interface DraftContext {
  year: number;
  units: UnitRef[];
}

export interface DraftBody {
  sections: DraftSection[];
}

/** Why a text gives no draft: shown to the user (Chinese). */
export class DraftParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DraftParseError';
  }
}
