// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, ...) for every test file.
// What `Testing.setupJest()` calls, imported on its own: the cdktf index loads about 380 modules, which the
// test files that never build a stack (config, plan comment, the app's server) need not pay for.
import { setupJest } from "cdktf/lib/testing/adapters/jest";
import { skipTokenStackTracesInTests } from "../speed/synth";

setupJest();

// Test speed: no cdktf token creation stacks, as in `cdktf synth` (speed/synth.ts; off with BLUEGREEN_SPEED_TRICKS=off).
skipTokenStackTracesInTests();
