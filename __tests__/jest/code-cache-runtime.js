// Test speed: jest's module runtime with a V8 code cache shared by the test files of one worker.
//
// Every test file gets a fresh module registry, so each one compiles cdktf, the provider classes, zod...
// again from source (about 0.1-0.3 s per file). Here a worker keeps the V8 code cache of each module it
// compiled, keyed by file name and exact source, and hands it to the next compile of the same source.
// Only compilation is cached: every file still evaluates its modules in its own registry and context.
// V8 checks the cache against the source and its flags and recompiles when it does not match.
"use strict";
const vm = require("node:vm");

const compileFunction = vm.compileFunction;
/** @type {Map<string, { source: string, data: Buffer }>} */
const codeCache = new Map();

vm.compileFunction = function compileWithCodeCache(source, params, options = {}) {
  const filename = options.filename;
  const cached = filename === undefined ? undefined : codeCache.get(filename);
  if (cached !== undefined && cached.source === source) {
    const compiled = compileFunction.call(this, source, params, { ...options, cachedData: cached.data });
    if (compiled.cachedDataRejected) codeCache.delete(filename);
    return compiled;
  }
  const compiled = compileFunction.call(this, source, params, { ...options, produceCachedData: true });
  if (filename !== undefined && compiled.cachedData !== undefined) codeCache.set(filename, { source, data: compiled.cachedData });
  return compiled;
};

module.exports = require("jest-runtime");
