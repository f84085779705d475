// How fast this machine is at the moment, for reading a benchmark's times: the same fixed DuckDB query (hash and
// sum 300 million integers on two threads, no I/O, little memory) timed before each benchmark. This machine's speed
// swings by a third or more over a day. The jobs also lean on memory and the disk, so this follows the swing only
// roughly (README, Numbers); it is context for a time, not a correction to it. Lower is faster.
import { withDuckDb } from '../local/duckdb';

const CALIBRATION_QUERY = 'SELECT sum(hash(i) % 1000) FROM range(300000000) AS t(i)';

/** Seconds the calibration query took, on `threads` threads. */
export async function calibrationSeconds(threads = 2): Promise<number> {
  return withDuckDb(
    async (db) => {
      const started = performance.now();
      await db.query(CALIBRATION_QUERY);
      return Math.round(performance.now() - started) / 1000;
    },
    { threads },
  );
}
