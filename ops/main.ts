/** The process side of `bluegreen`: real terminal, clock, AWS clients and synth; `cli.ts` does the work. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { PROJECT_ROOT } from "../config/paths";
import { createClients } from "./aws";
import { run } from "./cli";
import { ExitCode, OpsError } from "./errors";
import { Runtime } from "./session";

const runtime: Runtime = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  async confirm(question) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await prompt.question(question)).trim());
    } finally {
      prompt.close();
    }
  },
  clients: createClients,
  synth(outdir, configPath) {
    // The same app command `cdktf synth` runs (tools/app-command/run-app.mjs), so names match what was deployed.
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "tools", "app-command", "run-app.mjs")], {
      env: { ...process.env, CDKTF_OUTDIR: outdir, DEPLOY_CONFIG: configPath },
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (result.status !== 0) throw new OpsError(ExitCode.Usage, "synth failed (its errors are above); fix them, then run the command again");
  },
};

run(process.argv.slice(2), runtime).then((code) => {
  process.exitCode = code;
});
