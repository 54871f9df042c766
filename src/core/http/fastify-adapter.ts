import { FastifyAdapter } from '@nestjs/platform-fastify';

import { AppConfig } from '../config/app-config';
import { requestIdFor } from '../logging/logging.module';
import { frameworkErrors } from './input-guards';

/** Fastify (PERFORMANCE lesson 1) with our request ids, a body limit and proto-poisoning refused. */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: requestIdFor,
    trustProxy: config.http.trustProxy,
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A malformed %-escape in the path is answered before routing: in our shape, not fastify's.
    frameworkErrors,
    // Fastify closes idle keep-alive sockets on close, so a SIGTERM does not wait on them.
    forceCloseConnections: 'idle',
  });
}
