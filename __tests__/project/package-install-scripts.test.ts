import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Record<string, unknown>;

describe("dependency install scripts", () => {
  const allow = json("package.json").allowScripts as Record<string, boolean>;
  const lock = json("package-lock.json").packages as Record<string, { hasInstallScript?: boolean }>;
  const withScripts = Object.entries(lock)
    .filter(([path, entry]) => path !== "" && entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length))
    .sort();

  test("allowScripts decides every locked package with an install script, so npm ci has nothing to warn about", () => {
    expect(Object.keys(allow).sort()).toEqual([...new Set(withScripts)]);
  });

  test("runs none of them: each ships or finds a prebuilt binary (deploy.yml installs with --ignore-scripts)", () => {
    expect(Object.entries(allow).filter(([, allowed]) => allowed)).toEqual([]);
  });

  test("the README says why", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const name of Object.keys(allow)) expect(readme).toContain(`\`${name}\``);
    expect(readme).toContain("`allowScripts`");
  });
});
