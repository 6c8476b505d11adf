// Runs first in every fresh sandbox context, before any program, usually in the background while the
// isolate waits for its next run (see bridge-protocol.d.ts). It turns the names table the host set into
// the catalog namespaces and defines `console`, `ToolError` and `__toolshed_start`. Its completion value
// (the last expression) is an object only the host holds (`SandboxControl`): its `bind`, called when a
// run takes this context, hands over the bridge and the run's settings and says whether the program's
// body parses on its own (null) or not (a message); `keptJson` holds a result too long to copy out,
// which the host cuts inside the isolate. The program never holds the raw bridge. Plain JS: it is evaluated as is. Everything the bridge uses is captured here, before any
// program code runs: a program that replaces JSON, Proxy or Object.prototype entries changes nothing on
// the way out.
(function () {
  'use strict';
  const g = globalThis;
  const tables = g.__toolshed_names;
  delete g.__toolshed_names;
  // Set by bind, once, before the program is compiled.
  let hostCall;
  let hostLog;
  let callApply;
  let logApplyIgnored;
  let logBudget = 0;
  let maxResultChars = 0;
  const control = { __proto__: null, bind: undefined, keptJson: undefined };

  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const ErrorClass = Error;
  const TypeErrorClass = TypeError;
  const StringOf = String;
  const ProxyClass = Proxy;
  const { apply: reflectApply, ownKeys: reflectOwnKeys, getOwnPropertyDescriptor: reflectDescriptor } = Reflect;
  const { create, defineProperty, freeze, hasOwn, keys } = Object;
  const stringIncludes = String.prototype.includes;
  const stringSlice = String.prototype.slice;
  const stringSplit = String.prototype.split;
  const arrayMap = Array.prototype.map;
  const arrayJoin = Array.prototype.join;
  const AsyncFunction = (async function () {}).constructor;
  // Option objects without a prototype: `Object.prototype.reference = true` set by a program must not
  // change how a call crosses the boundary.
  const CALL_OPTIONS = freeze({ __proto__: null, result: freeze({ __proto__: null, promise: true }) });
  const LOG_OPTIONS = freeze({ __proto__: null });

  /** What a failed API call rejects with: a value a program can branch on (`e.status === 404`). */
  class ToolError extends ErrorClass {
    constructor(detail) {
      super(detail.message);
      this.name = 'ToolError';
      this.tool = detail.tool;
      this.status = detail.status;
      this.code = detail.code;
      this.body = detail.body;
      this.next = detail.next;
      // Which of the run's failed calls this is: the host reports that call if the error goes uncaught.
      defineProperty(this, '__toolshed_call', { value: detail.call, enumerable: false });
    }
  }
  const own = (object, key) => (hasOwn(object, key) ? object[key] : undefined);

  async function callTool(tool, args) {
    let argsJson;
    try {
      argsJson = args === undefined ? '{}' : stringify(args);
    } catch (e) {
      throw new TypeErrorClass(`${tool}: the arguments are not JSON-serializable (${describe(e)})`);
    }
    if (typeof argsJson !== 'string') throw new TypeErrorClass(`${tool}: the arguments must be an object, got ${typeof args}`);
    const replyJson = await reflectApply(callApply, hostCall, [undefined, [tool, argsJson], CALL_OPTIONS]);
    const reply = parse(replyJson);
    if (own(reply, 'ok') === true) return own(reply, 'value');
    const error = own(reply, 'error');
    throw new ToolError({
      tool,
      status: own(error, 'status'),
      code: own(error, 'code'),
      message: own(error, 'message'),
      body: own(error, 'body'),
      next: own(error, 'next'),
      call: own(error, 'call'),
    });
  }

  // Bindings are made on first use: a run pays for the functions it touches, not for the catalog
  // (11,000 closures per run for Microsoft Graph). `table` is "\nname\nname\n", shared by every run.
  function namespaceProxy(namespace, table) {
    const made = create(null);
    const known = (name) => typeof name === 'string' && name !== '' && !reflectApply(stringIncludes, name, ['\n']) && reflectApply(stringIncludes, table, [`\n${name}\n`]);
    const bind = (name) => {
      if (!hasOwn(made, name)) {
        const tool = `${namespace}.${name}`;
        made[name] = (args) => callTool(tool, args);
      }
      return made[name];
    };
    const all = () => {
      const names = reflectApply(stringSplit, reflectApply(stringSlice, table, [1, -1]), ['\n']);
      for (let i = 0; i < names.length; i++) if (names[i] !== '') bind(names[i]);
    };
    return new ProxyClass(made, {
      get: (target, name) => (hasOwn(target, name) ? target[name] : known(name) ? bind(name) : undefined),
      has: (target, name) => hasOwn(target, name) || known(name),
      ownKeys: (target) => (all(), reflectOwnKeys(target)),
      getOwnPropertyDescriptor: (target, name) => (!hasOwn(target, name) && known(name) && bind(name), reflectDescriptor(target, name)),
    });
  }

  for (const namespace of keys(tables)) {
    if (namespace in g) throw new ErrorClass(`toolshed: catalog namespace "${namespace}" would replace a sandbox global`);
    g[namespace] = namespaceProxy(namespace, tables[namespace]);
  }
  g.ToolError = ToolError;

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

  const consoleObject = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    consoleObject[level] = (...values) => {
      if (logBudget < 0) return; // past the budget: the host has recorded the cut, sending more only costs time
      let text = reflectApply(arrayJoin, reflectApply(arrayMap, values, [describe]), [' ']);
      // Never copy more out than the budget can keep: a 50 MB line would cost the host a 50 MB copy.
      if (text.length > logBudget + 1) text = reflectApply(stringSlice, text, [0, logBudget + 1]);
      logBudget -= text.length + 1;
      reflectApply(logApplyIgnored, hostLog, [undefined, [level, text], LOG_OPTIONS]);
    };
  }
  g.console = consoleObject;

  function failure(error) {
    try {
      if (error instanceof ToolError) {
        return { ok: false, name: 'ToolError', message: StringOf(error.message), stack: StringOf(error.stack), call: error.__toolshed_call };
      }
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
    let json;
    try {
      json = stringify(value);
    } catch (error) {
      return { ok: false, name: 'TypeError', message: `The returned value is not JSON-serializable (${describe(error)})`, stack: '' };
    }
    // Copying 50 MB of JSON out would cost the host a copy and a parse on its main thread: only its
    // length leaves, and the host cuts it in here.
    if (json !== undefined && json.length > maxResultChars) {
      control.keptJson = json;
      return { ok: true, keptChars: json.length };
    }
    return { ok: true, json };
  };
  /** The run that takes this context: its bridge (`SandboxBridge` references) and settings. */
  control.bind = function bind(body, call, log, config) {
    if (hostCall !== undefined) throw new ErrorClass('toolshed: a sandbox context serves one run only');
    hostCall = call;
    hostLog = log;
    callApply = call.apply;
    logApplyIgnored = log.applyIgnored;
    logBudget = config.maxLogChars;
    maxResultChars = config.maxResultChars;
    // A function body that parses on its own cannot close the wrapper around it (`return 1 }; evil(); {`).
    try {
      new AsyncFunction(body);
      return null;
    } catch (e) {
      return e instanceof ErrorClass ? StringOf(e.message) : 'does not parse as a function body';
    }
  };
  return control;
})();
