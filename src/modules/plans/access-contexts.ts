import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { OrgRepository } from '../org/org.repository';
import { AccessContext } from './item-access';

/** Builds the AccessContext the item rules need: the caller plus their unit's tree path. */
@Injectable()
export class AccessContexts {
  constructor(private readonly org: OrgRepository) {}

  /** Inside a transaction pass its `em`: the lookup must not take a second pooled connection. */
  async for(actor: Actor, em?: EntityManager): Promise<AccessContext> {
    const unit = await this.org.getUnit(actor.organizationId, actor.unitId, em);
    // A caller whose unit vanished matches no subtree rather than every subtree.
    return { actor, unitPath: unit?.path ?? '/nowhere/' };
  }
}
