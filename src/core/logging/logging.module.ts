import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

import { DynamicModule, Module } from '@nestjs/common';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { Logger as PinoInstance } from 'pino';

import { AppConfig } from '../config/app-config';

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{8,64}$/;

/** Reuse a caller's X-Request-Id when it is sane, else mint one; fastify and pino share it. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  return id;
}

/** Query parameters that carry credentials (Bull Board's `?token=`): their values never reach a log line. */
const SECRET_QUERY_PARAM = /([?&](?:token|access_?token|refresh_?token)=)[^&#]*/gi;

/** The URL as logged: every credential-carrying query value replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAM, '$1[已隐藏]');
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.secret',
  '*.token',
];

/**
 * Logging: pino JSON lines. Request logging is ours, not pino-http's (bench/README.md, issue 19): one
 * completion line per request (`request completed`, health probes excepted) with `req: { id, method,
 * url }` (credential query values redacted), `res.statusCode`, the matched `route` and `responseTime`
 * in ms, written from fastify's onResponse hook; and, made only when a service logs something, a child
 * logger bound to the same `req`, in nestjs-pino's async context, so every line logged for the request
 * carries `req.id`. pino-http bound two children per request (one with the raw request), serialized the
 * response with all its headers and added three listeners per response: most of the cost of logging.
 */
@Module({})
export class LoggingModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            // No pino-http middleware on any route: registerRequestLogging() does its work for less.
            forRoutes: [],
            pinoHttp: {
              level: config.log.level,
              base: { process: process.env.DUBAN_PROCESS ?? 'app', pid: process.pid },
              redact: { paths: REDACT_PATHS, censor: '[已隐藏]' },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                }),
                // pino-http wraps this: it receives pino's view of a raw response, whose `raw` is the
                // completion line's own `{ statusCode }` (pino's view says null before headers are sent).
                res: (res: { raw: { statusCode: number } }) => ({ statusCode: res.raw.statusCode }),
              },
              transport: config.log.pretty
                ? { target: 'pino-pretty', options: { singleLine: true } }
                : undefined,
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

const REQUEST_LOG = Symbol('duban:requestLog');
const same = <T>(value: T): T => value;

/**
 * nestjs-pino's async-context store whose `logger` (the request's child, bound to `req`) is made on
 * first use. The accessor sits on the prototype, defined once: a per-request defineProperty turned
 * each store into a slow dictionary object with a closure.
 */
class RequestLogStore extends Store {
  child?: PinoInstance;
  constructor(readonly req: RequestBinding) {
    super(undefined as unknown as PinoInstance);
  }
}
Object.defineProperty(RequestLogStore.prototype, 'logger', {
  // The root logger exists once Nest has initialized the LoggerModule (app.init / listen).
  get(this: RequestLogStore) {
    return (this.child ??= PinoLogger.root.child({ req: this.req }));
  },
  // Store's constructor assigns it; the child is made on demand instead.
  set() {},
});
/** What records each request's duration (Metrics); optional so the hook stays usable without it. */
export interface RequestObserver {
  observeRequest(method: string, routeUrl: string | undefined, status: number, elapsedMs: number): void;
}
type RequestBinding = { id: string; method: string; url: string };
type LoggedRequest = FastifyRequest & { [REQUEST_LOG]?: RequestBinding };

/**
 * Per-request logging on fastify's hooks (see LoggingModule): request id, method, url, route, status
 * and duration for every request but the health probes, at the cost of one line. The request's child
 * logger (what services log through, bound to `req`) is made only when something logs: most requests
 * log nothing but their completion line, which the root logger writes with `req` itself.
 */
export function registerRequestLogging(fastify: FastifyInstance, metrics?: RequestObserver): void {
  fastify.addHook('onRequest', (request: LoggedRequest, reply, done) => {
    void reply.header('x-request-id', request.id);
    const req = { id: String(request.id), method: request.method, url: request.url };
    request[REQUEST_LOG] = req;
    storage.run(new RequestLogStore(req), done);
  });
  // The completion line carries only what this hook puts in it (the id, method, redacted url, route,
  // status and duration), none of the fields REDACT_PATHS names, so it is written by a child logger
  // without the root's redaction and serializers: pino's redaction walked every line's keys for its
  // wildcard paths and cloned what it visited (≈ 5 % of the API's CPU on GET /auth/me, bench/README.md).
  let completion: PinoInstance | undefined;
  fastify.addHook('onResponse', (request: LoggedRequest, reply, done) => {
    // The duration histogram (GET /metrics) by route template, never the raw url: one pre-bound observe.
    metrics?.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
    const req = request[REQUEST_LOG];
    // Health probes every few seconds would drown the log.
    if (req && !request.url.startsWith('/health')) {
      completion ??= PinoLogger.root.child({}, { redact: [], serializers: { req: same, res: same } });
      completion.info(
        {
          req: { id: req.id, method: req.method, url: redactUrl(req.url) },
          res: { statusCode: reply.statusCode },
          route: request.routeOptions.url ?? null,
          responseTime: Math.round(reply.elapsedTime),
        },
        reply.statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
