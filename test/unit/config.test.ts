import { loadConfig, describeConfig } from '../../src/config/config.js';
import { AppError } from '../../src/errors/app-error.js';

describe('config', () => {
  it('applies defaults and freezes', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
    expect(c.llmBaseUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('rejects a bad value naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(AppError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ROLE: 'boss' })).toThrow(/one of all, api, worker/);
  });
  it('masks secrets when described', () => {
    const c = loadConfig({ REDIS_URL: 'redis://user:hunter2@localhost:6379', LLM_API_KEY: 'sk-secret' });
    const d = JSON.stringify(describeConfig(c));
    expect(d).not.toContain('hunter2');
    expect(d).not.toContain('sk-secret');
    expect(d).toContain('localhost:6379');
  });
});
