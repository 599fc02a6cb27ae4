import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { zipDirectory } from "../../../constructs/core/lambda-bundle";

function sourceFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-src-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe("zipDirectory", () => {
  test("zips every file with its relative path, leaving type declarations out", () => {
    const dir = sourceFolder({ "index.js": "exports.handler = 1;", "lib/util.js": "x", "index.d.ts": "types" });
    const entries = unzipSync(readFileSync(zipDirectory(dir)));
    expect(Object.keys(entries).sort()).toEqual(["index.js", "lib/util.js"]);
    expect(Buffer.from(entries["index.js"]).toString()).toBe("exports.handler = 1;");
  });

  test("produces byte-identical archives for identical sources, so an unchanged hook is not redeployed", () => {
    const a = zipDirectory(sourceFolder({ "index.js": "same" }));
    const b = zipDirectory(sourceFolder({ "index.js": "same" }));
    expect(a).toBe(b);
  });

  test("produces a different archive when a source changes", () => {
    const a = zipDirectory(sourceFolder({ "index.js": "one" }));
    const b = zipDirectory(sourceFolder({ "index.js": "two" }));
    expect(a).not.toBe(b);
  });
});
