// Test speed: jest's module runtime with a V8 code cache shared by the test files of one worker.
//
// Every test file gets a fresh module registry, so each one compiles cdktf, the provider classes, zod...
// again from source (about 0.1-0.3 s per file). Jest compiles a module with `vm.compileFunction`; here the
// same function is made from a `vm.Script` wrapping the module, as jest itself did up to version 26,
// because a script can hand out its code cache *after* it ran: that cache then also holds the functions
// compiled lazily while the first test file used the module (provider classes' synthesizeAttributes...),
// which the next files of the worker no longer compile. Only compilation is shared: every file still
// evaluates its modules in its own registry and context. The cache is keyed by file name and exact source,
// and V8 checks it against the source and its flags (recompiling when it does not match).
// Stack traces are unchanged: the wrapper is on the module's first line and its width is taken off the
// columns there (`columnOffset`).
"use strict";
const vm = require("node:vm");

const compileFunction = vm.compileFunction;
/** The options jest passes; anything else goes to Node's own compileFunction untouched. */
const KNOWN_OPTIONS = new Set(["filename", "parsingContext", "importModuleDynamically"]);
/** @type {Map<string, { source: string, script?: vm.Script, data?: Buffer }>} */
const modules = new Map();

vm.compileFunction = function compileWithCodeCache(source, params = [], options = {}) {
  const { filename, parsingContext, importModuleDynamically } = options;
  if (filename === undefined || parsingContext === undefined || Object.keys(options).some((key) => !KNOWN_OPTIONS.has(key))) {
    return compileFunction.call(this, source, params, options);
  }
  let known = modules.get(filename);
  if (known !== undefined && known.source !== source) known = undefined;
  // Second use: the first script has run by now, so its cache includes what was compiled lazily.
  if (known?.script !== undefined) {
    known.data = known.script.createCachedData();
    known.script = undefined;
  }
  const prefix = `(function (${params.join(", ")}) {`;
  const script = new vm.Script(`${prefix}${source}\n})`, {
    filename,
    columnOffset: -prefix.length,
    cachedData: known?.data,
    importModuleDynamically,
  });
  if (known === undefined || script.cachedDataRejected === true) modules.set(filename, { source, script });
  return script.runInContext(parsingContext);
};

module.exports = require("jest-runtime");
