import fc from "fast-check";
import { Token } from "cdktf";
import { ELB_NAME_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH, shortName } from "../../../constructs/core/naming";

describe("shortName", () => {
  test("returns name-suffix unchanged when it fits", () => {
    expect(shortName("demo-prod", "blue", 32)).toBe("demo-prod-blue");
  });

  test("returns the name alone when the suffix is empty and it fits", () => {
    expect(shortName("demo-prod", "", 32)).toBe("demo-prod");
  });

  test("truncates long names to the limit and keeps the suffix", () => {
    const name = shortName("a-really-long-project-name-production", "alb", ELB_NAME_MAX_LENGTH);
    expect(name).toHaveLength(ELB_NAME_MAX_LENGTH);
    expect(name).toMatch(/^a-really-long-project-[0-9a-f]{6}-alb$/);
  });

  test("shrinks the hash rather than cut into the first 21 characters (a 20-character project and its hyphen)", () => {
    // The case found in review: project catalog-blue-green01 (20 characters), environment staging.
    const name = shortName("catalog-blue-green01-staging", "green", ELB_NAME_MAX_LENGTH);
    expect(name).toMatch(/^catalog-blue-green01-[0-9a-f]{4}-green$/);
    expect(name.length).toBeLessThanOrEqual(ELB_NAME_MAX_LENGTH);
  });

  test("is deterministic", () => {
    expect(shortName("a-really-long-project-name-production", "blue", 32)).toBe(
      shortName("a-really-long-project-name-production", "blue", 32),
    );
  });

  test("gives different names to long names that share the kept prefix", () => {
    const a = shortName("a-really-long-project-name-production", "blue", 32);
    const b = shortName("a-really-long-project-name-preproduction", "blue", 32);
    expect(a).not.toBe(b);
  });

  test("does not leave a hyphen before the hash when the cut lands on one", () => {
    // The kept prefix would be "abcdefghijklmnopqrst-" (21 chars) for max 32 and suffix "alb".
    expect(shortName("abcdefghijklmnopqrst-uvwxyz-production", "alb", 32)).toMatch(/^abcdefghijklmnopqrst-[0-9a-f]{6}-alb$/);
  });

  test("fails when the suffix leaves no room for the name", () => {
    expect(() => shortName("demo", "a-very-long-suffix", 20)).toThrow(
      'shortName: "demo-a-very-long-suffix" does not fit in 20 characters without cutting into its first 4 (the project prefix IAM scopes rely on)',
    );
  });

  test("fails for token names, which cannot be measured", () => {
    expect(() => shortName(Token.asString({ resolve: () => "x" }), "blue", 32)).toThrow(/not tokens/);
  });

  test("always fits the limit and only uses characters AWS allows for ALB and target group names", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,60}[a-z0-9])?$/);
    fc.assert(
      fc.property(label, fc.constantFrom("alb", "blue", "green"), (name, suffix) => {
        const result = shortName(name, suffix, ELB_NAME_MAX_LENGTH);
        expect(result.length).toBeLessThanOrEqual(ELB_NAME_MAX_LENGTH);
        expect(result).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
        expect(result.endsWith(`-${suffix}`)).toBe(true);
      }),
    );
  });

  test("keeps every project the schema allows whole, with any environment name, for every ELB suffix", () => {
    // config/schema.ts: project 3-20 characters, environment 1-12.
    const project = fc.stringMatching(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/);
    const environment = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(project, environment, fc.constantFrom("alb", "blue", "green"), (p, e, suffix) => {
        const result = shortName(`${p}-${e}`, suffix, ELB_NAME_MAX_LENGTH);
        expect(result.startsWith(`${p}-`)).toBe(true);
        expect(result.length).toBeLessThanOrEqual(ELB_NAME_MAX_LENGTH);
      }),
    );
    expect(PROJECT_NAME_MAX_LENGTH).toBe(20);
  });
});
