// aws-local-stepfunctions calls Promise.withResolvers (Node >= 22); Node 20 lacks it. Applied once, on import.
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type WithResolvers = <T>() => Resolvers<T>;

const promiseCtor = Promise as unknown as { withResolvers?: WithResolvers };

if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = <T>(): Resolvers<T> => {
    let resolve: Resolvers<T>['resolve'] = () => undefined;
    let reject: Resolvers<T>['reject'] = () => undefined;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
