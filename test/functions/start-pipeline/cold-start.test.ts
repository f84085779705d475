// The production entry reads its configuration once, at import (cold start), and refuses to load without it.
import { testEnv } from './support';

const VARIABLES = ['STATE_MACHINE_ARN', 'RAW_BUCKET', 'DATASETS', 'IGNORED_PREFIXES', 'SUPPORTED_EXTENSIONS'];

function importHandler(env: Record<string, string | undefined>): unknown {
  const saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
  for (const v of VARIABLES) {
    const value = env[v];
    if (value === undefined) delete process.env[v];
    else process.env[v] = value;
  }
  try {
    let loaded: unknown;
    jest.isolateModules(() => {
      loaded = require('../../../functions/start-pipeline/handler');
    });
    return loaded;
  } finally {
    for (const v of VARIABLES) {
      const value = saved[v];
      if (value === undefined) delete process.env[v];
      else process.env[v] = value;
    }
  }
}

describe('start-pipeline handler.ts', () => {
  it('exports a handler when the environment is complete', () => {
    // Act
    const mod = importHandler(testEnv()) as { handler?: unknown };

    // Assess
    expect(typeof mod.handler).toBe('function');
  });

  it('stops at cold start with a ConfigError naming the missing variable', () => {
    // Act
    const load = () => importHandler(testEnv({ RAW_BUCKET: undefined }));

    // Assess
    expect(load).toThrow(expect.objectContaining({ name: 'ConfigError', variable: 'RAW_BUCKET' }));
  });
});
