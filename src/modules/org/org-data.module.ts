import { Module } from '@nestjs/common';

import { AuthRepository } from './auth.repository';
import { OrgRepository } from './org.repository';

/** Org and auth repositories without controllers, for the worker and other modules. */
@Module({ providers: [OrgRepository, AuthRepository], exports: [OrgRepository, AuthRepository] })
export class OrgDataModule {}
