import { redactUrl } from './logging.module';

describe('redactUrl (request URLs as logged)', () => {
  it('hides the value of every credential-carrying query parameter, wherever it sits', () => {
    expect(redactUrl('/admin/queues?token=eyJ.abc.def')).toBe('/admin/queues?token=[已隐藏]');
    expect(redactUrl('/admin/queues/api/queues?page=1&token=eyJ.abc&x=2')).toBe(
      '/admin/queues/api/queues?page=1&token=[已隐藏]&x=2',
    );
    expect(redactUrl('/x?access_token=a&refreshToken=b&TOKEN=c#frag')).toBe(
      '/x?access_token=[已隐藏]&refreshToken=[已隐藏]&TOKEN=[已隐藏]#frag',
    );
  });

  it('leaves other parameters and paths alone', () => {
    expect(redactUrl('/api/v1/items?q=token&tokens=3&mytoken=4')).toBe(
      '/api/v1/items?q=token&tokens=3&mytoken=4',
    );
    expect(redactUrl('/api/v1/token?x=1')).toBe('/api/v1/token?x=1');
  });
});
