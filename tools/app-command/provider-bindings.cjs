/**
 * Locally generated provider bindings (`.gen/`) in place of a prebuilt provider package: the one seam.
 *
 * `cdktf get` (or `cdktn get`) writes bindings for each provider that cdktf.json's `terraformProviders` lists into
 * `.gen/providers/<name>/<module>/index.ts`, with the same module names as a prebuilt package's `lib/<module>`.
 * tsconfig.json's `paths` maps each prebuilt package's modules to that folder (`@cdktf/provider-aws/lib/*` ->
 * `./.gen/providers/aws/*`). TypeScript, esbuild (the app bundle, tools/app-command/bundle.mjs) and tsx read those paths
 * themselves and fall back to node_modules while the folder does not exist; jest gets the same mapping from here.
 * So no import in the project changes: the generated bindings are used exactly when `.gen/providers/<name>` exists,
 * and the app command refuses to synthesize when that and cdktf.json disagree (bindingProblems).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: jest.config.js requires it, the .mjs entry points load it too */
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

/** A JSON file, or one line saying which file is not plain JSON (tsconfig.json must stay free of comments for this). */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not plain JSON (${error.message}); tools/app-command/provider-bindings.cjs reads it`);
  }
}

/** tsconfig.json's `paths` entries that point into .gen: `{ prefix: "@cdktf/provider-aws/lib/", target: ".gen/providers/aws" }`. */
function bindingPaths(root) {
  const paths = readJson(join(root, "tsconfig.json")).compilerOptions?.paths ?? {};
  return Object.entries(paths).flatMap(([pattern, [target]]) => {
    const match = /^\.\/(\.gen\/providers\/[^/]+)\/\*$/.exec(target ?? "");
    return pattern.endsWith("/*") && match ? [{ prefix: pattern.slice(0, -1), target: match[1] }] : [];
  });
}

/** The mappings whose generated folder exists: these imports resolve to `.gen` now. */
function activeBindings(root) {
  return bindingPaths(root).filter(({ target }) => existsSync(join(root, target)));
}

/** jest's `moduleNameMapper` for the active mappings (jest does not read tsconfig paths). */
function jestModuleNameMapper(root) {
  return Object.fromEntries(
    activeBindings(root).map(({ prefix, target }) => [`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(.*)$`, `<rootDir>/${target}/$1`]),
  );
}

/** cdktf.json's `terraformProviders` as `{ spec, name, version }` (name: the `.gen/providers/<name>` folder). */
function listedProviders(root) {
  const providers = readJson(join(root, "cdktf.json")).terraformProviders ?? [];
  return providers.map((provider) => {
    const spec = typeof provider === "string" ? provider : `${provider.source ?? provider.name}${provider.version ? `@${provider.version}` : ""}`;
    const [source, version] = spec.split("@");
    return { spec, name: typeof provider === "string" ? source.split("/").pop() : provider.name, version: version?.trim() };
  });
}

/** `.gen/versions.json` (written by get): provider address -> generated version. */
function generatedVersions(root) {
  const file = join(root, ".gen", "versions.json");
  return existsSync(file) ? readJson(file) : {};
}

function generatedVersionOf(root, name) {
  return Object.entries(generatedVersions(root)).find(([address]) => address.split("/").pop() === name)?.[1];
}

/** One line per disagreement between cdktf.json, `.gen` and tsconfig.json's paths; empty when they agree. */
function bindingProblems(root) {
  const problems = [];
  const listed = listedProviders(root);
  for (const { spec, name, version } of listed) {
    const generated = generatedVersionOf(root, name);
    if (!existsSync(join(root, ".gen", "providers", name))) {
      problems.push(`cdktf.json lists ${spec} in terraformProviders, but .gen/providers/${name} does not exist: run npm run get (cdktf get) first`);
    } else if (version && /^\d+\.\d+\.\d+$/.test(version) && generated && generated !== version) {
      problems.push(`.gen/providers/${name} holds ${name} ${generated}, but cdktf.json asks for ${spec}: run npm run get (cdktf get) again`);
    }
  }
  for (const { target } of activeBindings(root)) {
    const name = target.split("/").pop();
    if (!listed.some((provider) => provider.name === name)) {
      problems.push(`${target} exists but cdktf.json's terraformProviders does not list ${name}: delete ${target} to use the prebuilt package, or list the provider`);
    }
  }
  return problems;
}

/** What synth prints while generated bindings replace a prebuilt package. */
function bindingNotices(root) {
  return activeBindings(root).map(({ prefix, target }) => {
    const version = generatedVersionOf(root, target.split("/").pop());
    return `provider bindings: ${target} (generated${version ? ` for ${version}` : ""}) in place of ${prefix}*`;
  });
}

/** Distinguishes bundles built against different bindings (empty with none active): the bundle cache keys on it. */
function bindingsCacheKey(root) {
  const active = activeBindings(root);
  return active.length === 0 ? "" : JSON.stringify({ active, versions: generatedVersions(root) });
}

module.exports = { bindingPaths, activeBindings, jestModuleNameMapper, listedProviders, bindingProblems, bindingNotices, bindingsCacheKey };
