import { methodLabel, metricsAuthorized, routeLabel, UNMATCHED_ROUTE, withTimeout } from './metrics';

describe('metrics helpers', () => {
  it('labels a request by its route template, one fixed value when no route matched', () => {
    expect(routeLabel('/api/v1/items/:id')).toBe('/api/v1/items/:id');
    expect(routeLabel(undefined)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('')).toBe(UNMATCHED_ROUTE);
  });

  it('folds unusual methods into one label value', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('PATCH')).toBe('PATCH');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
  });

  it('needs the bearer token only when one is configured', () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
    expect(metricsAuthorized('s3cret-token-0123456789', undefined)).toBe(false);
    expect(metricsAuthorized('s3cret-token-0123456789', 'Bearer s3cret-token-012345678')).toBe(false);
    expect(metricsAuthorized('s3cret-token-0123456789', 's3cret-token-0123456789')).toBe(false);
    expect(metricsAuthorized('s3cret-token-0123456789', 'Bearer s3cret-token-0123456789')).toBe(true);
  });

  it('gives up on a slow dependency after its timeout, and passes a fast answer through', async () => {
    const never = new Promise<number>(() => undefined);
    const started = Date.now();
    await expect(withTimeout(never, 50, 'Redis')).rejects.toThrow('Redis：超时 50 ms');
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(withTimeout(Promise.resolve(7), 50, 'Redis')).resolves.toBe(7);
  });
});
