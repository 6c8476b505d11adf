// Prism mocking the GitHub REST description: the launcher lives in bench/prism.ts (the token benchmark
// starts it too); tests import it from here.
export { GITHUB_SPEC, PRISM_START_TIMEOUT_MS, startGithubPrism, startPrism, type PrismMock } from '../../bench/prism.js';
