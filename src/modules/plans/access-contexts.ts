import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { OrgRepository } from '../org/org.repository';
import { AccessContext } from './item-access';

/** Builds the AccessContext the item rules need: the caller plus their unit's tree path. */
@Injectable()
export class AccessContexts {
  constructor(private readonly org: OrgRepository) {}

  /**
   * Inside a transaction pass its `em`: the unit is then read on that connection (not a second pooled
   * one), as of the transaction. Outside one, the path the auth guard read with the session row is used:
   * the same row a lookup here would read a moment later, without another round trip.
   */
  async for(actor: Actor, em?: EntityManager): Promise<AccessContext> {
    if (!em && actor.session) return { actor, unitPath: actor.session.unitPath ?? '/nowhere/' };
    const unit = await this.org.getUnit(actor.organizationId, actor.unitId, em);
    // A caller whose unit vanished matches no subtree rather than every subtree.
    return { actor, unitPath: unit?.path ?? '/nowhere/' };
  }
}
