import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ECS_DEPLOYMENT_PRESETS, REGIONS } from "../config/aws-facts";
import { renderConfigReference } from "../config/reference";

describe("README", () => {
  test("carries the config reference generated from the current schema", () => {
    // GIVEN the committed README WHEN the schema changes without `npm run schema` THEN this fails.
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    expect(readme.includes(renderConfigReference())).toBe(true);
  });
});

describe("the generated config reference", () => {
  const table = renderConfigReference().split("\n");
  /** The row of `key`, split into its cells (key, meaning, allowed, default). */
  const row = (key: string) => {
    const line = table.find((l) => l.startsWith(`| \`${key}\` |`));
    if (!line) throw new Error(`no row for ${key}`);
    return line.slice(2, -2).split(" | ");
  };

  test.each(["project", "region", "github", "github.owner", "github.repository", "environments[]", "environments[].name", "state", "state.backend", "state.bucket"])(
    "marks %s as required",
    (key) => {
      expect(row(key)[3]).toBe("required");
    },
  );

  test("marks keys without a default and not required as optional", () => {
    expect(row("github.connectionArn")[3]).toBe("optional");
    expect(row("environments[].network")[3]).toBe("optional");
  });

  test("lists every region, not a count", () => {
    expect(row("region")[2]).toBe(REGIONS.map((r) => `\`${r}\``).join(", "));
  });

  test("lists the presets and the keys of a custom deployment config with their allowed values", () => {
    expect(row("environments[].deploymentConfig")[2]).toBe(`${ECS_DEPLOYMENT_PRESETS.map((p) => `\`${p}\``).join(", ")} or a mapping (keys below)`);
    expect(row("environments[].deploymentConfig.type").slice(2)).toEqual(["`canary`, `linear`", "required"]);
    expect(row("environments[].deploymentConfig.percentage").slice(2)).toEqual(["integer 1..99", "required"]);
    expect(row("environments[].deploymentConfig.intervalMinutes").slice(2)).toEqual(["integer 1..2880", "required"]);
  });
});
