import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ECS_DEPLOYMENT_PRESETS, REGIONS } from "../../config/aws-facts";
import { renderConfigReference } from "../../config/reference";

describe("README", () => {
  test("carries the config reference generated from the current schema", () => {
    // GIVEN the committed README WHEN the schema changes without `npm run schema` THEN this fails.
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme.includes(renderConfigReference())).toBe(true);
  });
});

describe("the generated config reference", () => {
  const table = renderConfigReference().split("\n");
  /** The row of `key` (of the shape `shape` selects, as in `strategy: ecs`), split into its cells (key, meaning, allowed, default). */
  const row = (key: string, shape?: string) => {
    const cell = shape === undefined ? `\`${key}\`` : `\`${key}\` (\`${shape}\`)`;
    const line = table.find((l) => l.startsWith(`| ${cell} |`) || (shape === undefined && l.startsWith(`| ${cell} (`)));
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
    const codedeploy = "strategy: codedeploy";
    expect(row("environments[].deploy.config", codedeploy)[2]).toBe(`${ECS_DEPLOYMENT_PRESETS.map((p) => `\`${p}\``).join(", ")} or a mapping (keys below)`);
    expect(row("environments[].deploy.config.type", codedeploy).slice(2)).toEqual(["`canary`, `linear`", "required"]);
    expect(row("environments[].deploy.config.percentage", codedeploy).slice(2)).toEqual(["integer 1..99", "required"]);
    expect(row("environments[].deploy.config.intervalMinutes", codedeploy).slice(2)).toEqual(["integer 1..2880", "required"]);
  });

  test("lists each deploy strategy's keys under that strategy", () => {
    expect(row("environments[].deploy")[2]).toBe("one of the shapes below");
    expect(row("environments[].deploy.strategy", "strategy: codedeploy").slice(2)).toEqual(["`codedeploy`", '`"codedeploy"`']);
    expect(row("environments[].deploy.terminationWaitMinutes", "strategy: codedeploy").slice(2)).toEqual(["integer 0..2880", "`5`"]);
    expect(row("environments[].deploy.strategy", "strategy: ecs").slice(2)).toEqual(["`ecs`", "required"]);
    expect(row("environments[].deploy.bakeTimeMinutes", "strategy: ecs").slice(2)).toEqual(["integer 0..1440", "`5`"]);
    expect(row("environments[].deploy.traffic", "strategy: ecs").slice(2)).toEqual(["`all-at-once` or a mapping (keys below)", '`"all-at-once"`']);
  });

  test("lists the keys of ECS linear and canary traffic under their type", () => {
    expect(row("environments[].deploy.traffic.stepPercent", "strategy: ecs`, `type: linear").slice(2)).toEqual(["3..100", "`10`"]);
    expect(row("environments[].deploy.traffic.stepMinutes", "strategy: ecs`, `type: linear").slice(2)).toEqual(["integer 0..1440", "`6`"]);
    expect(row("environments[].deploy.traffic.canaryPercent", "strategy: ecs`, `type: canary").slice(2)).toEqual(["0.1..100", "`5`"]);
    expect(row("environments[].deploy.traffic.canaryMinutes", "strategy: ecs`, `type: canary").slice(2)).toEqual(["integer 0..1440", "`10`"]);
  });

  test.each(["strategy", "bakeTimeMinutes", "deploymentConfig", "terminationWaitMinutes"])("marks the flat environments[].%s as deprecated, in one row", (key) => {
    expect(row(`environments[].${key}`)[1]).toMatch(/^Deprecated: write deploy\./);
    expect(table.some((line) => line.startsWith(`| \`environments[].${key}.`))).toBe(false);
  });
});
