// Process entry of the CLI (bin/lakepipe.cjs loads it): runs main and exits with its code.
import { errorMessage } from '../../functions/shared/errors';
import { EXIT } from './cli-io';
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`lakepipe: ${errorMessage(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
