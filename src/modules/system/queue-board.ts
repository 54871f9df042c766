import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { FastifyReply, FastifyRequest } from 'fastify';

import { AppConfig } from '../../core/config/app-config';
import { bullConnection } from '../../core/queue/queue.module';
import { QueueName } from '../../core/queue/queue-names';
import { AuthRepository } from '../org/auth.repository';
import { AuthService } from '../org/auth.service';
import { SYSADMIN } from '../org/entities/user.entity';

const BASE = '/admin/queues';
const COOKIE = 'duban_board';

function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Bull Board at /admin/queues, for system administrators only: it shows every organization's jobs
 * and payloads and can retry or remove them, so no organization's admin may open it. It is a fastify
 * plugin outside Nest's guards, so it checks the access token itself: the Authorization header, or
 * (for a browser) a cookie set by opening /admin/queues?token=<access token> once. The same checks
 * as the API: a live session of an active user with the sysadmin role. The token in the address is
 * redacted from every logged URL (core/logging).
 */
export async function mountQueueBoard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const auth = app.get(AuthService, { strict: false });
  const users = app.get(AuthRepository, { strict: false });
  const queues = Object.values(QueueName).map(
    (name) => new Queue(name, { connection: bullConnection(config.redis), prefix: config.redis.prefix }),
  );
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BASE);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: '督办 · 任务队列' } },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close()));
  });

  const deny = (reply: FastifyReply, status: 401 | 403, message: string) =>
    reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send({
        code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        message,
      });

  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const url = new URL(request.url, 'http://board');
      const fromQuery = url.searchParams.get('token');
      const header = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const token = fromQuery ?? header ?? cookie(request, COOKIE);
      if (!token) return deny(reply, 401, '未登录：请以系统管理员身份打开 /admin/queues?token=<访问令牌>');
      let claims;
      try {
        claims = auth.verifyAccessToken(token);
      } catch {
        return deny(reply, 401, '访问令牌无效或已过期，请重新登录');
      }
      const user = await users.findActiveSessionUser(claims.sub, claims.sid);
      if (!user) return deny(reply, 401, '账号已停用或登录已注销，请重新登录');
      if (!user.roles.includes(SYSADMIN)) return deny(reply, 403, '只有平台管理员可以查看任务队列');
      if (fromQuery) {
        // Keep the token out of the address bar and history: a cookie for this path only, then redirect.
        // Secure when the request came over TLS (with TRUST_PROXY, as X-Forwarded-Proto says).
        url.searchParams.delete('token');
        const secure = request.protocol === 'https' ? '; Secure' : '';
        return reply
          .header(
            'set-cookie',
            `${COOKIE}=${encodeURIComponent(token)}; Path=${BASE}; HttpOnly; SameSite=Strict; Max-Age=${config.auth.accessTtlSeconds}${secure}`,
          )
          .redirect(`${url.pathname}${url.search}`, 302);
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: BASE });
  });
}
