import { FastifyAdapter } from '@nestjs/platform-fastify';

import { AppConfig } from '../config/app-config';
import { requestIdFor } from '../logging/logging.module';
import { frameworkErrors } from './input-guards';

/** Fastify (PERFORMANCE lesson 1) with our request ids, a body limit and proto-poisoning refused. */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
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
  // A work report posted as JSON text may reach DRAFT_MAX_BYTES (2 MB by default), above the 1 MB every
  // other route keeps, and so may the reviewed tree of its items sent back. JSON escapes (\n, \uXXXX) at
  // most double it; the drafts service answers 413 on the text's own UTF-8 size, so the limit users meet
  // is DRAFT_MAX_BYTES.
  const draftLimit = Math.max(1024 * 1024, 2 * config.drafts.maxBytes + 64 * 1024);
  adapter.getInstance().addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (DRAFT_ROUTES.some(([m, url]) => route.url === url && methods.includes(m)))
      route.bodyLimit = draftLimit;
  });
  return adapter;
}

/** The routes that take a work report or its reviewed tree (src/modules/drafts/drafts.controller.ts). */
const DRAFT_ROUTES: [string, string][] = [
  ['POST', '/api/v1/plans/drafts'],
  ['PUT', '/api/v1/plans/drafts/:id'],
];
