// Credentials are env var NAMES: a value that looks like a secret is refused at start-up, and no
// message (library call, config error, or the real `toolshed` process's stderr) ever repeats it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ANY_SCHEME, githubCredentials, looksLikeSecret, parseAuthFlag } from '../../src/config-credentials.js';
import { readConfigFile } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { toolshed as runToolshed } from '../helpers/run-cli.js';
const dir = mkdtempSync(join(tmpdir(), 'toolshed-creds-'));
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
};

// Shaped like the real thing (made up): what a user might paste where a name belongs.
const SECRETS = [
  'ghp_R4nd0mL00k1ngT0k3nV4lu3abcdefghij12',
  'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789',
  'sk-proj-AbCdEf0123456789ghijklmnop',
  'sk_live_51Habcdefghijklmnop',
  'xoxb-1234-5678-abcdefghijkl',
  'AKIAIOSFODNN7EXAMPLE',
  'Zm9vYmFyOmJhenF1eDEyMzQ1Njc4OTA',
  'Bearer abc.def',
];
const NAMES = ['GITHUB_TOKEN', 'GH_TOKEN', 'PETSTORE_KEY', 'my_api_key', 'GITHUB_PAT_FILE', 'STRIPE_SECRET_KEY', 'XOXO_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'OPENAI_API_KEY', 'ApiToken2'];

/** Fails the test if any secret appears anywhere in `text`. */
function assertNoSecret(text: string, secrets: readonly string[] = SECRETS): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
}

describe('which values are names', () => {
  test('token shapes are secrets, ordinary env var names are not', () => {
    for (const s of SECRETS) assert.equal(looksLikeSecret(s), true, s);
    for (const n of NAMES) assert.equal(looksLikeSecret(n), false, n);
  });
});

describe('--auth', () => {
  test('NAME=ENV_VAR fills every scheme of the catalog (a bearer token when it declares none)', () => {
    assert.deepEqual(parseAuthFlag('github=GITHUB_TOKEN'), { namespace: 'github', scheme: ANY_SCHEME, credential: { env: 'GITHUB_TOKEN', type: 'bearer' } });
    assert.deepEqual(parseAuthFlag('petstore.api_key=PETSTORE_KEY'), { namespace: 'petstore', scheme: 'api_key', credential: { env: 'PETSTORE_KEY' } });
    assert.deepEqual(parseAuthFlag('jira.basic=JIRA_USER:JIRA_PASSWORD'), { namespace: 'jira', scheme: 'basic', credential: { usernameEnv: 'JIRA_USER', passwordEnv: 'JIRA_PASSWORD' } });
  });

  test('a secret given as the variable name is refused, and the message does not repeat it', () => {
    for (const secret of SECRETS) {
      assert.throws(
        () => parseAuthFlag(`github=${secret}`),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assertNoSecret(e.message);
          assert.match(e.message, /put the secret in the environment/);
          return true;
        },
      );
    }
  });
});

describe('the embedded GitHub catalog', () => {
  test('reads GITHUB_TOKEN, else GH_TOKEN, with no config', () => {
    assert.deepEqual(githubCredentials({ GITHUB_TOKEN: 'a', GH_TOKEN: 'b' }), { [ANY_SCHEME]: { type: 'bearer', env: 'GITHUB_TOKEN' } });
    assert.deepEqual(githubCredentials({ GH_TOKEN: 'b' }), { [ANY_SCHEME]: { type: 'bearer', env: 'GH_TOKEN' } });
    assert.deepEqual(githubCredentials({}), { [ANY_SCHEME]: { type: 'bearer', env: 'GITHUB_TOKEN' } });
  });
});

const catalog = (credentials: unknown) => ({ catalogs: { github: { openapi: 'x.json', credentials } } });

describe('config file', () => {
  test('a secret in an env field, a secret key, or a secret in an enum field: refused, never repeated, with what to do', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ...SECRETS.map((s): [unknown, RegExp] => [catalog({ default: { type: 'bearer', env: s } }), /catalogs\.github\.credentials\.default\.env (looks like a secret|is not an environment variable name).*put the secret in the environment/]),
      [catalog({ basic: { usernameEnv: 'USER', passwordEnv: SECRETS[0] } }), /credentials\.basic\.passwordEnv looks like a secret/],
      [catalog({ default: { type: 'bearer', token: SECRETS[0] } }), /"token" is not a credentials field: a secret never goes in the config file\. Put it in an environment variable and name the variable: \{ "env": "MY_TOKEN" \}/],
      [catalog({ default: { type: SECRETS[0], env: 'GITHUB_TOKEN' } }), /credentials\.default\.type: expected one of "bearer", "basic", "apiKey"/],
    ];
    for (const [i, [content, message]] of cases.entries()) {
      await assert.rejects(readConfigFile(write(`secret-${i}.json`, content)), (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assertNoSecret(e.message);
        assert.match(e.message, message);
        return true;
      });
    }
  });

  test('errors carry the line and column: JSON syntax, and a schema error at its key', async () => {
    await assert.rejects(readConfigFile(write('syntax.json', '{\n  "catalogs": {\n    "github" {}\n  }\n}\n')), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /syntax\.json:3:14: not valid JSON: Expected ':' after property name$/);
      return true;
    });
    const path = write('schema.json', catalog({ default: { type: 'bearer', token: 'x' } }));
    await assert.rejects(readConfigFile(path), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      // JSON.stringify(…, null, 2): "default" is on line 6, its object's keys at column 9.
      assert.match(e.message, /schema\.json:6:9: catalogs\.github\.credentials\.default: "token" is not a credentials field/);
      return true;
    });
  });
});

describe('toolshed refuses a secret at start-up (the real process)', () => {
  const toolshed = async (args: string[]) => {
    const result = await runToolshed(args, { GITHUB_TOKEN: '', GH_TOKEN: '' });
    return { code: result.code, out: `${result.stdout}${result.stderr}` };
  };

  test('--auth with a token: exit 1, the message says what to do, the token is nowhere in the output', async () => {
    const { code, out } = await toolshed(['serve', '--auth', `github=${SECRETS[0]}`]);
    assert.equal(code, 1);
    assert.match(out, /toolshed: --auth github=…: the value looks like a secret/);
    assertNoSecret(out);
  });

  test('a config file with a token as env: exit 1, same', async () => {
    const { code, out } = await toolshed(['search', 'x', '--config', write('cli.json', catalog({ default: { type: 'bearer', env: SECRETS[1] } }))]);
    assert.equal(code, 1);
    assert.match(out, /credentials\.default\.env looks like a secret/);
    assertNoSecret(out);
  });
});
