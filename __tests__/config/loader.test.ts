import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { chooseConfig, ConfigError, DEFAULT_CONFIG_PATH, describeConfigChoice, loadConfig, readConfigFile, repositoryConfigPath, resolveConfigPath } from "../../config";
import { validInput, withValue } from "../helpers/config";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "config-loader-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `content` to a fresh file in the test folder and returns its path. */
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The ConfigError `read` throws; fails the test when it throws something else or nothing. */
function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the file was accepted");
}

/** Asserts the error is the single line `<path>: <reason>` and returns the reason. */
function oneLineReason(path: string, error: ConfigError): string {
  expect(error.problems).toHaveLength(1);
  expect(error.message).not.toContain("\n");
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  return error.message.slice(path.length + 2);
}

describe("choosing the file", () => {
  /** A fresh folder standing in for the repository root, holding the given files. */
  function rootWith(...names: string[]): string {
    const root = mkdtempSync(join(dir, "root-"));
    for (const name of names) writeFileSync(join(root, name), stringify(validInput()));
    return root;
  }

  it("uses the embedded demo when DEPLOY_CONFIG is unset and the repository root holds no config", () => {
    expect(chooseConfig({}, rootWith())).toEqual({ path: DEFAULT_CONFIG_PATH, origin: "embedded demo" });
    expect(DEFAULT_CONFIG_PATH).toBe(resolve(__dirname, "..", "..", "config", "examples", "default.yaml"));
  });

  it.each(["deploy-config.yaml", "deploy-config.yml", "deploy-config.json"])("finds the team's %s at the repository root", (name) => {
    const root = rootWith(name);
    expect(chooseConfig({}, root)).toEqual({ path: join(root, name), origin: "repository root" });
  });

  it("lets DEPLOY_CONFIG win over the file at the repository root", () => {
    expect(chooseConfig({ DEPLOY_CONFIG: "/elsewhere/x.yaml" }, rootWith("deploy-config.yaml"))).toEqual({
      path: "/elsewhere/x.yaml",
      origin: "DEPLOY_CONFIG",
    });
  });

  it("fails when two config files at the repository root compete", () => {
    const root = rootWith("deploy-config.yaml", "deploy-config.json");
    expect(configError(() => chooseConfig({}, root)).message).toBe(
      `${join(root, "deploy-config.yaml")}: and deploy-config.json are both at the repository root; keep one (or set DEPLOY_CONFIG)`,
    );
  });

  it("uses the next rule when DEPLOY_CONFIG is blank", () => {
    expect(resolveConfigPath({ DEPLOY_CONFIG: "  " }, rootWith())).toBe(DEFAULT_CONFIG_PATH);
  });

  it("resolves a relative DEPLOY_CONFIG against the working directory", () => {
    expect(resolveConfigPath({ DEPLOY_CONFIG: "my/config.yaml" })).toBe(resolve(process.cwd(), "my/config.yaml"));
  });

  it("gives CI the config's path in the repository only when DEPLOY_CONFIG chose a file inside it", () => {
    const root = "/work/repo";
    expect(repositoryConfigPath({ path: "/work/repo/teams/prod.yaml", origin: "DEPLOY_CONFIG" }, root)).toBe("teams/prod.yaml");
    expect(repositoryConfigPath({ path: "/elsewhere/prod.yaml", origin: "DEPLOY_CONFIG" }, root)).toBeUndefined();
    expect(repositoryConfigPath({ path: "/work/repo/deploy-config.yaml", origin: "repository root" }, root)).toBeUndefined();
    expect(repositoryConfigPath({ path: DEFAULT_CONFIG_PATH, origin: "embedded demo" }, root)).toBeUndefined();
  });

  it("says which file it uses and why, in one line", () => {
    expect(describeConfigChoice({ path: "/work/repo/deploy-config.yaml", origin: "repository root" }, "/work/repo")).toBe(
      "config: deploy-config.yaml (found at the repository root; DEPLOY_CONFIG overrides it)",
    );
    expect(describeConfigChoice({ path: "/etc/team/prod.yaml", origin: "DEPLOY_CONFIG" }, "/work/repo")).toBe(
      "config: /etc/team/prod.yaml (from DEPLOY_CONFIG)",
    );
    expect(describeConfigChoice({ path: DEFAULT_CONFIG_PATH, origin: "embedded demo" }, resolve(__dirname, "..", ".."))).toBe(
      "config: config/examples/default.yaml (the embedded demo, used because DEPLOY_CONFIG is unset and there is no " +
        "deploy-config.yaml at the repository root; deploying it needs TF_VAR_deploy_embedded_demo=true)",
    );
  });

  it("loads the YAML file DEPLOY_CONFIG names", () => {
    const path = file("chosen.yaml", stringify(withValue("project", "from-yaml")));
    expect(loadConfig(resolveConfigPath({ DEPLOY_CONFIG: path })).project).toBe("from-yaml");
  });

  it("loads the JSON file DEPLOY_CONFIG names", () => {
    const path = file("chosen.json", JSON.stringify(withValue("project", "from-json"), null, 2));
    expect(loadConfig(resolveConfigPath({ DEPLOY_CONFIG: path })).project).toBe("from-json");
  });

  it("names the file in validation problems", () => {
    const path = file("invalid-values.yaml", stringify(withValue("service", { desiredCount: 0 })));
    expect(configError(() => loadConfig(path)).message).toBe(
      `${path}: service.desiredCount: must be between 1 and 100 (got 0)`,
    );
  });

  it("accepts a UTF-8 byte order mark", () => {
    const path = file("bom.yaml", `\uFEFF${stringify(validInput())}`);
    expect(loadConfig(path).project).toBe("demo");
  });
});

describe("malformed files: one line naming the path", () => {
  it("fails when the file does not exist", () => {
    const path = join(dir, "missing.yaml");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "does not exist (set DEPLOY_CONFIG to an existing YAML or JSON file)",
    );
  });

  it("fails when the path is a directory", () => {
    const path = join(dir, "a-directory.yaml");
    mkdirSync(path);
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe("is a directory, not a YAML or JSON file");
  });

  it("fails on a device instead of reading it forever", () => {
    expect(oneLineReason("/dev/zero", configError(() => readConfigFile("/dev/zero")))).toBe(
      "is not a regular file (a device, pipe or socket); give a YAML or JSON file",
    );
  });

  it("fails on a named pipe instead of blocking", () => {
    const path = join(dir, "pipe.yaml");
    try {
      execFileSync("mkfifo", [path]);
    } catch {
      console.log("skipped: mkfifo is not available here");
      return;
    }
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "is not a regular file (a device, pipe or socket); give a YAML or JSON file",
    );
  });

  it("fails on an empty file", () => {
    const path = file("empty.yaml", "");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "is empty; start from config/examples/default.yaml",
    );
  });

  it("fails on a file of whitespace only", () => {
    const path = file("blank.yaml", "  \n\t\n\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "is empty; start from config/examples/default.yaml",
    );
  });

  it("fails on a file of comments only", () => {
    const path = file("comments.yaml", "# project: demo\n# region: eu-west-1\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "holds no settings (only comments or null); start from config/examples/default.yaml",
    );
  });

  it("fails on duplicate keys instead of keeping the last", () => {
    const path = file("duplicates.yaml", "project: demo\nregion: eu-west-1\nproject: other\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      'is not valid as a config: line 3, column 1: repeats the key "project"; each key may appear once',
    );
  });

  it("fails on a list at the top level", () => {
    const path = file("list.yaml", "- project: demo\n- region: eu-west-1\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "must hold a mapping of keys (project, region, github, ...), not a list",
    );
  });

  it("fails on a scalar at the top level", () => {
    const path = file("scalar.yaml", "just some text\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "must hold a mapping of keys (project, region, github, ...), not a string",
    );
  });

  it("fails on binary garbage", () => {
    const path = file("garbage.yaml", Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x0a, 0x5b, 0x00, 0x81]));
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toMatch(/^(is not valid YAML\/JSON|must hold a mapping)/);
  });

  it("fails on an unreadable file", () => {
    if (process.getuid?.() === 0) {
      console.log("skipped: tests run as root, which can read a chmod 000 file");
      return;
    }
    const path = file("unreadable.yaml", stringify(validInput()));
    chmodSync(path, 0o000);
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe("cannot be read (permission denied)");
  });

  it("fails on a file over 1 MiB without parsing it", () => {
    const path = file("huge.yaml", `project: demo\n# ${"x".repeat(1024 * 1024)}\n`);
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      `is ${1024 * 1024 + 17} bytes; a config is at most 262144`,
    );
  });

  it("fails fast on a YAML alias bomb (billion laughs)", () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let level = 1; level < 10; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    const path = file("bomb.yaml", `${lines.join("\n")}\n`);
    const started = Date.now();
    const reason = oneLineReason(path, configError(() => readConfigFile(path)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(reason).toBe("cannot be expanded: Excessive alias count indicates a resource exhaustion attack");
  });

  it("fails on a key given twice as a number and as a string (both would become the same property)", () => {
    const path = file("number-keys.yaml", 'tags:\n  1: a\n  "1": b\n');
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      'is not valid as a config: line 3, column 3: repeats the key "1"; each key may appear once',
    );
  });

  it("fails on a mapping used as a key", () => {
    const path = file("complex-key.yaml", "? [a, b]\n: c\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "is not valid as a config: line 1, column 3: uses a mapping or list as a key; keys must be plain names",
    );
  });

  it("refuses deep nesting before parsing, however often it comes (the parser's overflow could abort the process)", () => {
    const path = file("deep.yaml", `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
        "nests about 20000 levels deep at line 1; a config needs a few levels, at most 40",
      );
    }
  });

  it("refuses a chain of complex keys quickly (an 800-byte file used to take about 30 s)", () => {
    const path = file("key-chain.yaml", `${"? ".repeat(400)}x\n`);
    const started = Date.now();
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      "nests about 400 levels deep at line 1; a config needs a few levels, at most 40",
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("checks thousands of keys for duplicates in linear time (the parser's check took about 100 s for 60,000)", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: v`).join("\n");
    const path = file("many-keys.yaml", `tags:\n${keys}\n  k0: again\n`);
    const started = Date.now();
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toBe(
      'is not valid as a config: line 20002, column 3: repeats the key "k0"; each key may appear once',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails on an alias to an anchor that does not exist", () => {
    const path = file("alias.yaml", "project: *name\n");
    expect(oneLineReason(path, configError(() => readConfigFile(path)))).toMatch(/^(cannot be expanded|is not valid YAML\/JSON): .*name/);
  });
});

describe("YAML syntax errors: the line to fix, its text and a caret", () => {
  /** The message after `<path>: `, checking it is the one problem plus a two-line excerpt. */
  function syntaxError(name: string, text: string): string {
    const path = file(name, text);
    const error = configError(() => readConfigFile(path));
    expect(error.problems).toHaveLength(1);
    expect(error.message.startsWith(`${path}: ${error.problems[0]}\n`)).toBe(true);
    return error.message.slice(path.length + 2);
  }

  const sample = (line4: string) => ["project: demo", "service:", "  cpu: 256", line4, "  desiredCount: 2", ""].join("\n");

  it("points at a key indented deeper than its siblings, not at the value above it", () => {
    expect(syntaxError("deeper.yaml", sample("    memory: 512"))).toBe(
      [
        "is not valid YAML/JSON: line 4, column 5: is indented deeper than line 3 above it, so YAML reads it as part of that line's value; indent it like the keys around it",
        "  4 |     memory: 512",
        "    |     ^",
      ].join("\n"),
    );
  });

  it("points at a key indented less than its siblings, at its first character", () => {
    expect(syntaxError("shallower.yaml", sample(" memory: 512"))).toBe(
      [
        "is not valid YAML/JSON: line 4, column 2: starts at column 2 but the key on line 3 above it at column 3; the keys of one mapping must start at the same column",
        "  4 |  memory: 512",
        "    |  ^",
      ].join("\n"),
    );
  });

  it("counts a list item's key from after its dash when it names the line above", () => {
    const text = "project: demo\nenvironments:\n  - name: staging\n  terminationWaitMinutes: 0\n";
    expect(syntaxError("list.yaml", text).split("\n")[0]).toBe(
      "is not valid YAML/JSON: line 4, column 3: starts at column 3 but the key on line 3 above it at column 5; the keys of one mapping must start at the same column",
    );
  });

  it("points at a list that is never closed, not at the line where the parser gave up", () => {
    expect(syntaxError("broken.yaml", "project: demo\nregion: [eu-west-1\ngithub:\n  owner: acme\n")).toBe(
      ["is not valid YAML/JSON: line 2, column 9: opens a [ list that is never closed with ]", "  2 | region: [eu-west-1", "    |         ^"].join("\n"),
    );
  });

  it("points at a quote that is never closed", () => {
    expect(syntaxError("quote.yaml", 'project: demo\nregion: "eu-west-1\ngithub: x\n')).toBe(
      ['is not valid YAML/JSON: line 2, column 9: opens a "quoted" string that is never closed; add the closing "', '  2 | region: "eu-west-1', "    |         ^"].join("\n"),
    );
  });

  it("reports a tab used for indentation where it is", () => {
    expect(syntaxError("tabs.yaml", "project: demo\ngithub:\n\towner: acme\n")).toBe(
      ["is not valid YAML/JSON: line 3, column 1: Tabs are not allowed as indentation", "  3 |  owner: acme", "    | ^"].join("\n"),
    );
  });

  it("fails on invalid JSON", () => {
    expect(syntaxError("broken.json", '{"project": "demo",, "region": "eu-west-1"}')).toBe(
      ["is not valid YAML/JSON: line 1, column 20: Unexpected , in flow map", '  1 | {"project": "demo",, "region": "eu-west-1"}', "    |                    ^"].join("\n"),
    );
  });

  it("fails on several YAML documents in one file", () => {
    expect(syntaxError("two-documents.yaml", "project: a\n---\nproject: b\n")).toMatch(
      /^is not valid YAML\/JSON: line 2, column 1: Source contains multiple documents.*\n  2 \| ---\n    \| \^$/,
    );
  });

  it("shows a window of a very long line, with the caret still under the column", () => {
    const message = syntaxError("long.yaml", `project: demo\ntags: { a: ${"x".repeat(300)}\n`);
    const [, line, caret] = message.split("\n");
    expect(line).toBe(`  2 | tags: { a: ${"x".repeat(69)}...`);
    expect(caret).toBe("    |       ^");
  });
});
