import { createSecretKey } from 'node:crypto';

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtModuleOptions } from '@nestjs/jwt';

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

/**
 * The HMAC secret as a KeyObject, not the string: given a string, jsonwebtoken 9 first tries to parse
 * it as a PEM public (verify) or private (sign) key and only then falls back to a secret key, on every
 * call (≈ 0.5 ms of CPU per request, a quarter of the API's time under load: bench/README.md).
 */
export function jwtModuleOptions(config: AppConfig): JwtModuleOptions {
  return { secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) };
}

/** Organizations, unit trees, users, roles and login (the API side). */
@Module({
  imports: [OrgDataModule, JwtModule.registerAsync({ inject: [AppConfig], useFactory: jwtModuleOptions })],
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
