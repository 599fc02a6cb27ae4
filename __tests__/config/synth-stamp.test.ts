import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentStamp, headCommit, staleReason, SYNTH_STAMP_FILE, writeStamp } from "../../config/synth-stamp";
import { synthesizeApp } from "../../stacks/synthesize";
import { loadConfig } from "../../config";

describe("the synth stamp: which config and commit made cdktf.out", () => {
  let root: string;
  let out: string;
  const a = () => join(root, "a.yaml");
  const b = () => join(root, "b.yaml");
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "stamp-"));
    out = join(root, "cdktf.out");
    mkdirSync(out);
    writeFileSync(join(out, "manifest.json"), "{}");
    writeFileSync(a(), "project: a\n");
    writeFileSync(b(), "project: b\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("is fresh for the config and commit that made it", () => {
    writeStamp(out, currentStamp(a(), root));
    expect(staleReason(out, a(), root)).toBeUndefined();
  });

  test("names the other config when the output was synthesized from it", () => {
    writeStamp(out, currentStamp(a(), root));
    expect(staleReason(out, b(), root)).toBe("cdktf.out was synthesized from a.yaml, not b.yaml");
  });

  test("notices an edited config even when its file time is older than the output", () => {
    writeStamp(out, currentStamp(a(), root));
    writeFileSync(a(), "project: a2\n");
    expect(staleReason(out, a(), root)).toBe("cdktf.out was synthesized from an earlier version of a.yaml");
  });

  test("notices another commit", () => {
    writeStamp(out, { ...currentStamp(a(), root), commit: "0123456789abcdef0123456789abcdef01234567" });
    expect(staleReason(out, a(), root)).toBe("cdktf.out was synthesized at commit 0123456789ab, but no commit is checked out");
  });

  test("treats an output without a stamp as stale", () => {
    expect(staleReason(out, a(), root)).toBe(`cdktf.out has no ${SYNTH_STAMP_FILE}: it was synthesized by an older version of this project`);
  });

  test("every synth of a config file writes it, with the checked-out commit", () => {
    const config = join(__dirname, "..", "..", "config", "examples", "default.yaml");
    synthesizeApp(loadConfig(config), out, { configPath: config });
    const stamp = JSON.parse(readFileSync(join(out, SYNTH_STAMP_FILE), "utf8")) as { config: string; commit?: string };
    expect(stamp.config).toBe("config/examples/default.yaml");
    expect(stamp.commit).toBe(headCommit());
    expect(staleReason(out, config)).toBeUndefined();
  });
});
