// Process entry of the CLI (bin/lakepipe.cjs loads it): runs main and exits with its code.
import { errorMessage, hasErrorCode } from '../../functions/shared/errors';
import { EXIT } from './cli-io';
import { main } from './main';

// A reader that stops early (`lakepipe catalog | head -1`) closes the pipe: the output ends there, as for any Unix
// tool, instead of a `write EPIPE` crash. Any other broken output is a failure, said in one line.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (hasErrorCode(error, 'EPIPE')) process.exit(EXIT.ok);
    if (stream === process.stdout) process.stderr.write(`lakepipe: cannot write the output: ${errorMessage(error)}\n`);
    process.exit(EXIT.failed);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`lakepipe: ${errorMessage(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
