import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { ErrorResponseDto } from '../errors/error-response.dto';

/** The API's OpenAPI document: served at /api/docs-json and written at build time for the web client. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('督办 duban API')
      .setDescription(
        '城市管理年度工作计划督办系统。所有业务接口位于 /api/v1，需携带 Bearer 访问令牌；错误统一返回 { code, message, fields?, requestId }。',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
}
