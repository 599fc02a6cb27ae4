import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `--help` works on every command a user runs: it prints a usage and exits 0, and does nothing else (the writers
 * write nothing, the synth does not run, no AWS call is made).
 */
const ROOT = join(__dirname, "..", "..");
const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
/** Scripts that are not commands with options: the test chain, the app command cdktf runs, the cdktf CLI pass-through. */
const NOT_COMMANDS = ["typecheck", "lint", "test", "test:unit", "test:terraform", "test:speed-off", "synth:app", "get"];
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

/** The script's command line as argv for this Node (`tsx file` through tsx's CLI, `node file args` as is). */
function argvOf(script: string): string[] {
  const [program, ...args] = script.split(/\s+/);
  return program === "tsx" ? [TSX, ...args] : args;
}

describe("--help", () => {
  const commands = Object.keys(scripts).filter((name) => !NOT_COMMANDS.includes(name));

  test("covers the user commands", () => {
    expect(commands.sort()).toEqual(["bench", "bench:fleet", "bench:plan", "check:cdktn", "deploy", "destroy", "docs", "ops", "plan", "schema", "synth", "test:emulator", "timeline"]);
  });

  test.each(commands)("npm run %s -- --help prints a usage, exits 0 and changes no file", (name) => {
    const before = spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).stdout;
    const result = spawnSync(process.execPath, [...argvOf(scripts[name]), "--help"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" } });
    expect({ name, status: result.status, stderr: result.stderr }).toEqual({ name, status: 0, stderr: "" });
    expect(result.stdout).toMatch(/usage|`npm run/i);
    expect(spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).stdout).toBe(before);
  }, 60_000);
});
