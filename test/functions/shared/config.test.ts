// The shared configuration reader (functions/shared/config.ts).
import { z } from 'zod';
import { loadConfig } from '../../../functions/shared/config';

describe('loadConfig', () => {
  it('returns the parsed value of any schema', () => {
    // Prepare
    const schema = z.object({ PORT: z.string().regex(/^\d+$/).transform(Number) });

    // Act
    const config = loadConfig(schema, { PORT: '8080' });

    // Assess
    expect(config).toEqual({ PORT: 8080 });
  });
});
