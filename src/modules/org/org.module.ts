import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';

import { AppConfig } from '../../core/config/app-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { OrgDataModule } from './org-data.module';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Organizations, unit trees, users, roles and login (the API side). */
@Module({
  imports: [
    OrgDataModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret }),
    }),
  ],
  controllers: [AuthController, UnitsController, UsersController],
  providers: [
    AuthService,
    LoginThrottle,
    UnitsService,
    UsersService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [OrgDataModule],
})
export class OrgModule {}
