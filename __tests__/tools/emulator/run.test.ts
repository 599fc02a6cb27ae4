import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MOTO_MISSING } from "../../../tools/emulator/server-process";

const ROOT = join(__dirname, "..", "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** npm run test:emulator as CI starts it, with the given environment. */
function runEmulator(args: readonly string[], env: NodeJS.ProcessEnv) {
  return spawnSync(TSX, [join(ROOT, "tools", "emulator", "run.ts"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
}

describe("npm run test:emulator before it starts anything", () => {
  test.each([
    ["a Python without moto", "python-without-moto"],
    ["no Python at all", "no-such-python3"],
  ])("fails in one line saying what to install with %s, never skipping", (_, name) => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-preflight-"));
    try {
      // Answers the import probe as a Python without moto does.
      writeFileSync(join(dir, "python-without-moto"), "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'moto'\" >&2\nexit 1\n");
      chmodSync(join(dir, "python-without-moto"), 0o755);
      const result = runEmulator([], { EMULATOR_PYTHON: join(dir, name) });
      expect({ code: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 1, stderr: `error: ${MOTO_MISSING}\n`, stdout: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test("refuses an unknown example in one line naming the allowed ones", () => {
    const result = runEmulator(["--example", "nope.yaml"], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: --example must be one of default\.yaml, fleet\.yaml, .* \(got "nope\.yaml"\)\n$/);
  }, 60_000);
});
