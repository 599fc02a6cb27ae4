// Test speed: cdktf's index loads `archiver` (about 150 ms per test file, each file has its own module
// registry) for one function that only runs when cdktf zips an ARCHIVE asset in a child process.
// Mapped in jest.config.js: the real module loads on first call, so behaviour is unchanged.
"use strict";
module.exports = function archiver(...args) {
  return require("archiver/index.js")(...args);
};
