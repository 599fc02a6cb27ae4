import { readFileSync } from "node:fs";
import { join } from "node:path";

// The image contract the infrastructure relies on (README, "Application repository contract"): a non-root
// user, and /tmp declared in the image so the read-only task's /tmp volume is writable by that user.
const dockerfile = readFileSync(join(__dirname, "..", "Dockerfile"), "utf8");
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));
const finalStage = instructions.slice(instructions.map((line) => line.startsWith("FROM ")).lastIndexOf(true));

describe("the sample service's Dockerfile", () => {
  test("runs as a non-root user", () => {
    const users = finalStage.filter((line) => line.startsWith("USER "));
    expect(users.at(-1)).toBe("USER node");
  });

  test("creates /tmp world-writable with the sticky bit before declaring it a volume", () => {
    const chmod = finalStage.indexOf("RUN chmod 1777 /tmp");
    const volume = finalStage.indexOf('VOLUME ["/tmp"]');
    expect(chmod).toBeGreaterThan(-1);
    expect(volume).toBeGreaterThan(chmod);
    expect(finalStage.indexOf("USER node")).toBeGreaterThan(volume);
  });

  test("listens on the port the default config routes to", () => {
    expect(finalStage).toContain("ENV NODE_ENV=production PORT=8080");
    expect(finalStage).toContain("EXPOSE 8080");
  });
});
