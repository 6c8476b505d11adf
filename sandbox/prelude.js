// Runs first in every fresh sandbox context, before the program. It turns the three globals the host
// set (see bridge-protocol.d.ts) into the catalog namespaces, `console` and `__toolshed_start`, then
// deletes them, so the program never holds the raw bridge. Plain JS: it is evaluated as is.
(function () {
  'use strict';
  const g = globalThis;
  const config = g.__toolshed_config;
  const hostCall = g.__toolshed_call;
  const hostLog = g.__toolshed_log;
  delete g.__toolshed_config;
  delete g.__toolshed_call;
  delete g.__toolshed_log;

  // Captured now so a program that reassigns JSON or Error cannot break the bridge.
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const ErrorClass = Error;
  const TypeErrorClass = TypeError;
  const StringOf = String;

  async function callTool(tool, args) {
    let argsJson;
    try {
      argsJson = args === undefined ? '{}' : stringify(args);
    } catch (e) {
      throw new TypeErrorClass(`${tool}: the arguments are not JSON-serializable (${describe(e)})`);
    }
    const replyJson = await hostCall.apply(undefined, [tool, argsJson], { result: { promise: true } });
    const reply = parse(replyJson);
    if (reply.ok) return reply.value;
    throw new ErrorClass(reply.error);
  }

  for (const namespace of Object.keys(config.namespaces)) {
    if (namespace in g) throw new ErrorClass(`toolshed: catalog namespace "${namespace}" would replace a sandbox global`);
    const api = {};
    for (const name of config.namespaces[namespace]) {
      const tool = `${namespace}.${name}`;
      api[name] = (args) => callTool(tool, args);
    }
    g[namespace] = api;
  }

  function describe(value) {
    try {
      if (typeof value === 'string') return value;
      if (value instanceof ErrorClass) return `${value.name}: ${value.message}`;
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
        return StringOf(value);
      }
      const json = stringify(value);
      return json === undefined ? StringOf(value) : json;
    } catch {
      return '[unprintable value]';
    }
  }

  let logBudget = config.maxLogChars;
  const consoleObject = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    consoleObject[level] = (...values) => {
      if (logBudget < 0) return; // past the budget: the host has recorded the cut, sending more only costs time
      const text = values.map(describe).join(' ');
      logBudget -= text.length + 1;
      hostLog.applyIgnored(undefined, [level, text]);
    };
  }
  g.console = consoleObject;

  function failure(error) {
    try {
      if (error instanceof ErrorClass) {
        return { ok: false, name: StringOf(error.name), message: StringOf(error.message), stack: StringOf(error.stack) };
      }
      return { ok: false, name: 'Error', message: `Uncaught ${describe(error)}`, stack: '' };
    } catch {
      return { ok: false, name: 'Error', message: 'Uncaught exception', stack: '' };
    }
  }

  g.__toolshed_start = async function (main) {
    delete g.__toolshed_start;
    let value;
    try {
      value = await main();
    } catch (error) {
      return failure(error);
    }
    try {
      return { ok: true, json: stringify(value) };
    } catch (error) {
      return { ok: false, name: 'TypeError', message: `The returned value is not JSON-serializable (${describe(error)})`, stack: '' };
    }
  };
})();
