// Process entry of the CLI (bin/lakepipe.cjs loads it): runs main and exits with its code.
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`lakepipe: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
