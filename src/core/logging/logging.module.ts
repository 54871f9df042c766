import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

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

@Module({})
export class LoggingModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.log.level,
              base: { process: process.env.DUBAN_PROCESS ?? 'app', pid: process.pid },
              genReqId: (req: IncomingMessage) => String(req.headers['x-request-id'] ?? requestIdFor(req)),
              redact: { paths: REDACT_PATHS, censor: '[已隐藏]' },
              // Health probes every few seconds would drown the log.
              autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                }),
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
