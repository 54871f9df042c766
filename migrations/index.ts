import { Foundation1763900000000 } from './1763900000000-Foundation';
import { PlansAndAuditChain1763900100000 } from './1763900100000-PlansAndAuditChain';
import { CyclesAndReports1763900200000 } from './1763900200000-CyclesAndReports';
import { OutboxAndRollup1763900300000 } from './1763900300000-OutboxAndRollup';
import { IncrementalRollup1763900400000 } from './1763900400000-IncrementalRollup';
import { Reminders1763900500000 } from './1763900500000-Reminders';
import { DispatchMeetings1763900600000 } from './1763900600000-DispatchMeetings';
import { DispatchPackIndexes1763900700000 } from './1763900700000-DispatchPackIndexes';
import { WithdrawnRequests1763901000000 } from './1763901000000-WithdrawnRequests';
import { SystemAdminAndLocalCalendar1763902000000 } from './1763902000000-SystemAdminAndLocalCalendar';
import { WorkDayIndexPerCalendar1763902100000 } from './1763902100000-WorkDayIndexPerCalendar';
import { RuntimeRoleGrants1763906000000 } from './1763906000000-RuntimeRoleGrants';
import { DeliveryLeaseOwner1763907000000 } from './1763907000000-DeliveryLeaseOwner';
import { ItemHistory1763910000000 } from './1763910000000-ItemHistory';
import { DemoReplay1763912000000 } from './1763912000000-DemoReplay';
import { DecisionNotices1763913000000 } from './1763913000000-DecisionNotices';
import { RangeTargets1764000000000 } from './1764000000000-RangeTargets';
import { PlanDrafts1764000100000 } from './1764000100000-PlanDrafts';
import { TextGrams1764000200000 } from './1764000200000-TextGrams';
import { TextGramsIndex1764000200001 } from './1764000200001-TextGramsIndex';
import { ItemListWalkIndex1764000300000 } from './1764000300000-ItemListWalkIndex';
import { CalendarWeeks1764000400000 } from './1764000400000-CalendarWeeks';
import { TextGramFrequency1764000500000 } from './1764000500000-TextGramFrequency';
import { BusinessClockPlpgsql1764000600000 } from './1764000600000-BusinessClockPlpgsql';
import { EvidenceBlobs1764001000000 } from './1764001000000-EvidenceBlobs';
import { ReplicaReadMarks1764001100000 } from './1764001100000-ReplicaReadMarks';

/** Every migration in order; listed explicitly so ts-jest, ts sources and dist load the same set. */
export const MIGRATIONS = [
  Foundation1763900000000,
  PlansAndAuditChain1763900100000,
  CyclesAndReports1763900200000,
  OutboxAndRollup1763900300000,
  IncrementalRollup1763900400000,
  Reminders1763900500000,
  DispatchMeetings1763900600000,
  DispatchPackIndexes1763900700000,
  WithdrawnRequests1763901000000,
  SystemAdminAndLocalCalendar1763902000000,
  WorkDayIndexPerCalendar1763902100000,
  RuntimeRoleGrants1763906000000,
  DeliveryLeaseOwner1763907000000,
  ItemHistory1763910000000,
  DemoReplay1763912000000,
  DecisionNotices1763913000000,
  RangeTargets1764000000000,
  PlanDrafts1764000100000,
  TextGrams1764000200000,
  TextGramsIndex1764000200001,
  ItemListWalkIndex1764000300000,
  CalendarWeeks1764000400000,
  TextGramFrequency1764000500000,
  BusinessClockPlpgsql1764000600000,
  EvidenceBlobs1764001000000,
  ReplicaReadMarks1764001100000,
];
