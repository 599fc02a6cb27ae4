// The one switch of every speed trick in this folder: BLUEGREEN_SPEED_TRICKS=off turns them all off (the
// synthesized output and every test must be the same either way; CI synthesizes an example both ways and
// compares). CommonJS, so jest.config.js can read it as well as the TypeScript code.
"use strict";

/** The environment variable that turns every speed trick off when set to `off`. */
const SPEED_TRICKS_VARIABLE = "BLUEGREEN_SPEED_TRICKS";

/** Whether the speed tricks are on (the default). */
function speedTricksOn(env = process.env) {
  return env[SPEED_TRICKS_VARIABLE] !== "off";
}

module.exports = { SPEED_TRICKS_VARIABLE, speedTricksOn };
