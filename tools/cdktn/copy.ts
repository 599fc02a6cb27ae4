/**
 * The project on CDK Terrain, built as a copy: the project's files with their cdktf imports renamed, and a
 * node_modules whose cdktf packages are the pinned cdktn ones of tools/cdktn/package.json. Nothing in the
 * project's own tree changes.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** Module specifiers the rename moves: the core (and its subpaths) and the prebuilt AWS provider. */
const RENAMES: readonly (readonly [RegExp, string])[] = [
  [/^cdktf(\/.*)?$/, "cdktn"],
  [/^@cdktf\/provider-aws(\/.*)?$/, "@cdktn/provider-aws"],
];

/** A module specifier in an import, export, dynamic import or require. Strings that are values ("cdktf" as a state key prefix or a tag) stay. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"'\n]+)\2/g;

/** The renamed specifier, or undefined when it is not one the move changes. */
export function renamedSpecifier(specifier: string): string | undefined {
  for (const [pattern, name] of RENAMES) {
    const match = pattern.exec(specifier);
    if (match) return name + (match[1] ?? "");
  }
  return undefined;
}

/** Source text with every cdktf / @cdktf/provider-aws module specifier renamed; everything else untouched. */
export function rewriteImports(text: string): string {
  return text.replace(SPECIFIER, (whole, lead: string, quote: string, specifier: string) => {
    const renamed = renamedSpecifier(specifier);
    return renamed ? `${lead}${quote}${renamed}${quote}` : whole;
  });
}

/**
 * Module specifiers the rename should have moved but did not, found by TypeScript's own import scanner (not by the
 * pattern above): the check fails on any, naming the file.
 */
export function leftoverSpecifiers(text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((specifier) => renamedSpecifier(specifier) !== undefined);
}

/** tsconfig.json with its `paths` keys renamed the same way (the generated-bindings seam, tools/app-command/provider-bindings.cjs). */
export function rewriteTsconfig(text: string): string {
  const json = JSON.parse(text) as { compilerOptions: { paths?: Record<string, string[]> } };
  const paths = json.compilerOptions.paths ?? {};
  json.compilerOptions.paths = Object.fromEntries(
    Object.entries(paths).map(([pattern, targets]) => {
      const base = pattern.replace(/\/\*$/, "");
      return [pattern.replace(base, renamedSpecifier(base) ?? base), targets];
    }),
  );
  return `${JSON.stringify(json, null, 2)}\n`;
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** The project's files as git sees them (tracked, plus new files not ignored): what a team's checkout holds. */
export function projectFiles(root: string): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  return [...new Set(listed.split("\0"))].filter((file) => file !== "" && existsSync(join(root, file))).sort();
}

/** Every module specifier the project's TypeScript and JavaScript files import (TypeScript's import scanner: strings in tests do not count). */
export function importedModules(root: string): string[] {
  const imported = projectFiles(root)
    .filter((file) => SOURCE.test(file))
    .flatMap((file) => ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true).importedFiles.map((imported) => imported.fileName));
  return [...new Set(imported)].sort();
}

export interface CopyResult {
  /** Files whose imports changed. */
  readonly rewritten: readonly string[];
}

/** Copies the project into `dest` with renamed imports. Throws naming the file when a cdktf import is left. */
export function copyProject(root: string, dest: string): CopyResult {
  const rewritten: string[] = [];
  for (const file of projectFiles(root)) {
    const target = join(dest, file);
    mkdirSync(dirname(target), { recursive: true });
    if (file === "tsconfig.json") {
      writeFileSync(target, rewriteTsconfig(readFileSync(join(root, file), "utf8")));
    } else if (SOURCE.test(file)) {
      const text = readFileSync(join(root, file), "utf8");
      const renamed = rewriteImports(text);
      const left = leftoverSpecifiers(renamed);
      if (left.length > 0) throw new Error(`${file}: import of ${left[0]} not renamed`);
      if (renamed !== text) rewritten.push(file);
      writeFileSync(target, renamed);
    } else {
      cpSync(join(root, file), target);
    }
  }
  return { rewritten };
}

/** Packages of the project's node_modules that cdktn replaces (the core, its CLI and everything of the @cdktf scope) or re-pins (constructs). */
function replacedByCdktn(name: string): boolean {
  return name === "cdktf" || name === "cdktf-cli" || name === "constructs" || name.startsWith("@cdktf/");
}

/**
 * The copy's node_modules: a link to each package of the project's node_modules except the cdktf ones, and a link to
 * each dependency of tools/cdktn/package.json (installed in tools/cdktn/node_modules). Links resolve to their real
 * folders, so each package still finds its own dependencies where npm installed them.
 */
export function linkModules(projectModules: string, cdktnModules: string, cdktnDependencies: readonly string[], dest: string): void {
  const modules = join(dest, "node_modules");
  mkdirSync(modules, { recursive: true });
  const link = (name: string, from: string) => {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(from, join(modules, name), "dir");
  };
  for (const entry of readdirSync(projectModules)) {
    if (entry.startsWith(".")) continue;
    const names = entry.startsWith("@") ? readdirSync(join(projectModules, entry)).map((inner) => `${entry}/${inner}`) : [entry];
    for (const name of names) {
      if (!replacedByCdktn(name) && !cdktnDependencies.includes(name)) link(name, join(projectModules, name));
    }
  }
  for (const name of cdktnDependencies) link(name, join(cdktnModules, name));
}

interface PackageJson {
  readonly dependencies: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly scripts?: Record<string, string>;
  readonly [key: string]: unknown;
}

/**
 * The project's package.json as a team's looks after the move: the cdktf packages out (the core, its CLI, the AWS
 * provider), the pinned cdktn ones in (tools/cdktn/package.json), and `npm run get` on cdktn's CLI.
 */
export function migratedPackageJson(project: PackageJson, cdktnDependencies: Readonly<Record<string, string>>): PackageJson {
  const keep = (deps: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(deps).filter(([name]) => !["cdktf", "cdktf-cli", "@cdktf/provider-aws", "constructs"].includes(name) && !(name in cdktnDependencies)));
  const sorted = (deps: Record<string, string>) => Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  return {
    ...project,
    scripts: { ...project.scripts, get: "cdktn get" },
    dependencies: sorted({ ...keep(project.dependencies), ...cdktnDependencies }),
    devDependencies: sorted(keep(project.devDependencies)),
  };
}
