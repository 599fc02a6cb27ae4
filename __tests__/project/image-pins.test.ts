import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DEFAULT_CONFIG_PATH, loadConfig, readConfigFile } from "../../config";
import { PROJECT_ROOT } from "../../config/paths";
import { DEFAULT_BOOTSTRAP_IMAGE } from "../../constructs/runtime/blue-green-service";
import { synthProject } from "../helpers/synth";

/**
 * Every image this project builds from or runs is pinned by digest (a tag can be moved under you), and no
 * Dockerfile asks BuildKit for a frontend image (`# syntax=`), which it would pull from Docker Hub on every build.
 */
const PINNED = /@sha256:[0-9a-f]{64}$/;
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "cdktf.out", ".gen", "dist", "coverage"]);

function dockerfiles(dir: string = PROJECT_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : dockerfiles(join(dir, entry.name));
    return /(^|\.)Dockerfile$/.test(entry.name) ? [join(dir, entry.name)] : [];
  });
}

/** The problems of one Dockerfile: a `# syntax=` directive, or a FROM that does not resolve to a digest. */
function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n").map((line) => line.trim());
  if (lines.some((line) => /^#\s*syntax\s*=/i.test(line))) problems.push("has a # syntax= directive (BuildKit pulls that frontend from Docker Hub)");
  const args = new Map<string, string>();
  const stages = new Set<string>();
  for (const line of lines) {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/i.exec(line);
    if (arg) args.set(arg[1], arg[2]);
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) continue;
    const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args.get(name) ?? `<unset ${name}>`);
    if (!(stages.has(image) || image === "scratch" || PINNED.test(image))) problems.push(`FROM ${image} is not pinned by digest`);
    if (from[2]) stages.add(from[2]);
  }
  return problems;
}

describe("image pins", () => {
  test("every Dockerfile in the repository pins its base images and has no # syntax= line", () => {
    const problems = dockerfiles().flatMap((file) =>
      dockerfileProblems(readFileSync(file, "utf8")).map((problem) => `${relative(PROJECT_ROOT, file)}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  test("the check fails on a tag, an unpinned ARG default and a # syntax= line", () => {
    expect(dockerfileProblems("# syntax=docker/dockerfile:1\nFROM public.ecr.aws/docker/library/node:20-slim\n")).toEqual([
      "has a # syntax= directive (BuildKit pulls that frontend from Docker Hub)",
      "FROM public.ecr.aws/docker/library/node:20-slim is not pinned by digest",
    ]);
    expect(dockerfileProblems("ARG BASE=node:20\nFROM ${BASE} AS build\nFROM build\n")).toEqual(["FROM node:20 is not pinned by digest"]);
    expect(dockerfileProblems(`FROM node@sha256:${"a".repeat(64)} AS build\nFROM build\nFROM scratch\n`)).toEqual([]);
  });

  test("the default bootstrap image is pinned by digest", () => {
    expect(DEFAULT_BOOTSTRAP_IMAGE).toMatch(PINNED);
  });

  test("every container image of the default config's task definitions is pinned by digest", () => {
    const { aws } = synthProject(loadConfig(DEFAULT_CONFIG_PATH));
    const images = Object.values(aws.resource.aws_ecs_task_definition).flatMap((td) =>
      (JSON.parse(td.container_definitions as string) as { image: string }[]).map((c) => c.image),
    );
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter((image) => !PINNED.test(image))).toEqual([]);
  });

  test("no example config names an unpinned bootstrap image", () => {
    const dir = join(PROJECT_ROOT, "config", "examples");
    const named = readdirSync(dir)
      .filter((file) => file.endsWith(".yaml"))
      .flatMap((file) => JSON.stringify(readConfigFile(join(dir, file))).match(/"bootstrapImage":"[^"]*"/g) ?? []);
    expect(named.filter((entry) => !PINNED.test(entry.slice(0, -1)))).toEqual([]);
  });
});
