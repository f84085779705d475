// Production entry: no configuration and no AWS client; the state machine publishes what this returns.
import { createHandler } from './app';

export const handler = createHandler();
