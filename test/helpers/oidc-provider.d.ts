// oidc-provider ships no type declarations (and @types/oidc-provider lags its major versions): the
// little the tests use, typed loosely on purpose.
declare module 'oidc-provider' {
  import type { RequestListener } from 'node:http';
  export default class Provider {
    constructor(issuer: string, configuration: object);
    callback(): RequestListener;
    on(event: string, listener: (...args: never[]) => void): this;
  }
}
