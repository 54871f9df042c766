import { bearer, TestApp } from './app';

export interface OrgIndex {
  units: Map<string, string>; // code → id
  users: Map<string, string>; // username → id
}

/** Unit codes and usernames → ids for one organization, read through the API as its admin. */
export async function indexOrg(t: TestApp, adminToken: string): Promise<OrgIndex> {
  const units = (await t.http().get('/api/v1/units').set(bearer(adminToken)).expect(200)).body as {
    id: string;
    code: string;
  }[];
  const users = (await t.http().get('/api/v1/users').set(bearer(adminToken)).expect(200)).body as {
    id: string;
    username: string;
  }[];
  return {
    units: new Map(units.map((u) => [u.code, u.id])),
    users: new Map(users.map((u) => [u.username, u.id])),
  };
}

/** A draft plan with one section and one key task, created by `token` (admin or dispatcher). */
export async function makeDraftPlan(t: TestApp, token: string, title: string, year = 2023) {
  const plan = (await t.http().post('/api/v1/plans').set(bearer(token)).send({ year, title }).expect(201))
    .body as { id: string };
  const section = (
    await t
      .http()
      .post(`/api/v1/plans/${plan.id}/sections`)
      .set(bearer(token))
      .send({ title: '测试部分', numbering: '一、' })
      .expect(201)
  ).body as { id: string };
  const task = (
    await t
      .http()
      .post(`/api/v1/sections/${section.id}/tasks`)
      .set(bearer(token))
      .send({ title: '测试重点任务', numbering: '（一）' })
      .expect(201)
  ).body as { id: string };
  return { planId: plan.id, sectionId: section.id, taskId: task.id };
}

/**
 * Routes a unit's reminders to a local webhook sink (`url`): allows 127.0.0.1 as a webhook host, then sets
 * the unit's webhook channel, both as the organization's admin.
 */
export async function routeUnitToWebhook(
  t: TestApp,
  adminToken: string,
  unitId: string,
  url: string,
  secret: string,
): Promise<void> {
  await t
    .http()
    .post('/api/v1/admin/webhook-hosts')
    .set(bearer(adminToken))
    .send({ host: '127.0.0.1' })
    .expect(200);
  await t
    .http()
    .put('/api/v1/channels')
    .set(bearer(adminToken))
    .send({ ownerType: 'unit', ownerId: unitId, channel: 'webhook', address: url, secret })
    .expect(200);
}
