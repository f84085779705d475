export const BAD_CONFIGURATION_EXIT: number;
export function refusingBadDatasets<A extends unknown[], R>(
  resolver: (...args: A) => Promise<R>,
): (...args: A) => Promise<R>;
