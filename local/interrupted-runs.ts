// One rule for work a stopped process left behind. Crawls, job runs, Athena queries and executions are stored as
// files with the id of the process that runs them; a stored run that is still in progress will never finish when
// it is not running in this process and the process that ran it is gone (a crash, a kill, a closed laptop).
import { hasErrorCode } from '../functions/shared/errors';

/** True when a run stored as in progress was interrupted: not running here, and its owner process is gone. */
export function wasInterrupted(ownerPid: number | undefined, runsHere: boolean): boolean {
  if (runsHere) return false;
  if (ownerPid === undefined || ownerPid === process.pid) return true;
  return !processIsAlive(ownerPid);
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrorCode(error, 'EPERM');
  }
}
