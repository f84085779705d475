// Production entry: configuration is read once, at cold start. On Lambda the SQL files are packaged at
// /var/task/validations, the working directory's `validations` folder.
import { createHandler, loadPrepareValidationsConfig } from './app';

export const handler = createHandler({ config: loadPrepareValidationsConfig(process.env) });
