import { Global, Module } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { Clock, clockFor } from './clock';

@Global()
@Module({
  providers: [{ provide: Clock, inject: [AppConfig], useFactory: (c: AppConfig) => clockFor(c.now) }],
  exports: [Clock],
})
export class ClockModule {}
