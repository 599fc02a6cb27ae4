import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigReference } from "../config/reference";

describe("README", () => {
  test("carries the config reference generated from the current schema", () => {
    // GIVEN the committed README WHEN the schema changes without `npm run schema` THEN this fails.
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    expect(readme.includes(renderConfigReference())).toBe(true);
  });
});
