import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import fc from "fast-check";
import { ConfigError, DeployConfig, loadConfig, readConfigFile, validateConfig } from "../../config";
import { ECS_DEPLOYMENT_PRESETS, FARGATE_MEMORY_BY_CPU, REGIONS } from "../../config/aws-facts";
import { buildStacks } from "../../stacks";
import { reuseTerraformJsonDuringSynth } from "../../speed/synth";
import { RawConfig, validInput } from "../helpers/config";

/**
 * Hostile input: thousands of generated configs and files go through the loader. Each must either
 * validate or be rejected with a ConfigError of clear one-line problems; no other exception may escape, and
 * nothing may hang. Configs that validate must also build and synthesize every stack (policy pack included).
 * Seeded, so a failure reproduces; fast-check prints the seed and the shrunk counterexample.
 */

/** Fixed so failures reproduce; CONFIG_FUZZ_SEED=<n> explores other inputs. */
const SEED = Number(process.env.CONFIG_FUZZ_SEED ?? 20_251_127);
/** CONFIG_FUZZ_SCALE=10 npx jest __tests__/config/fuzz.test.ts runs ten times as many inputs (about a minute). */
const SCALE = Math.max(1, Number(process.env.CONFIG_FUZZ_SCALE ?? 1) || 1);
/** Sized to keep this file near 8 s on the 2-core CI machine while other suites run beside it. */
const STRUCTURAL_RUNS = 1500 * SCALE;
const YAML_TEXT_RUNS = 800 * SCALE;
const SYNTH_RUNS = 10 * SCALE;

/** A problem line: `key.path: message`, one line, short enough to read even when the input was huge. */
const PROBLEM_LINE = /^[^\n]+: .+$/;
/** The longest legitimate line is the region list (33 regions); huge values are cut to 60 characters. */
const MAX_LINE_LENGTH = 700;

fc.configureGlobal({ seed: SEED });

const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const EXAMPLE_FILES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith(".yaml"));
const EXAMPLE_TEXTS = EXAMPLE_FILES.map((file) => readFileSync(join(EXAMPLES_DIR, file), "utf8"));
const BASES: RawConfig[] = [validInput(), ...EXAMPLE_FILES.map((file) => readConfigFile(join(EXAMPLES_DIR, file)) as RawConfig)];

const tally = { structural: { valid: 0, rejected: 0 }, yaml: { valid: 0, rejected: 0 }, synth: { built: 0, rejected: 0 } };
const timings: string[] = [];
let dir: string;

/**
 * The generated files go to memory (tmpfs) when the machine has one: hundreds of small rewrites of the same
 * files cost from 1 to 3 s on a busy disk, against milliseconds in memory. What is read back is the same.
 */
function scratchRoot(): string {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return tmpdir();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(scratchRoot(), "config-fuzz-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `config fuzz (seed ${SEED}): structural ${STRUCTURAL_RUNS} runs (${tally.structural.valid} valid, ${tally.structural.rejected} rejected); ` +
      `YAML text ${YAML_TEXT_RUNS} runs (${tally.yaml.valid} valid, ${tally.yaml.rejected} rejected); ` +
      `synth ${SYNTH_RUNS} runs (${tally.synth.built} built, ${tally.synth.rejected} rejected by validation)\n  ${timings.join("\n  ")}`,
  );
});

/**
 * Asserts the shape of a rejection: every problem is one short line, and every line of the message is
 * `<file or key path>: <what is wrong>` (one problem: `<file>: <problem>`; several: a header, then a line each).
 * Plain checks rather than expect(): they run thousands of times, and a matcher per line doubles the run time.
 */
function expectClearProblems(error: ConfigError, source: string): void {
  const fail = (why: string, line: string) => {
    throw new Error(`${why}: ${JSON.stringify(line.length > 2000 ? `${line.slice(0, 2000)}...` : line)} (${line.length} characters)`);
  };
  if (error.problems.length === 0) fail("a ConfigError without problems", error.message);
  for (const problem of error.problems) {
    if (typeof problem !== "string") fail("a problem that is not a string", String(problem));
    if (/[\r\n\u0085\u2028\u2029]/.test(problem)) fail("a problem spanning lines", problem);
    if (problem.length > MAX_LINE_LENGTH) fail(`a problem longer than ${MAX_LINE_LENGTH} characters`, problem);
  }
  if (!error.message.startsWith(`${source}: `)) fail(`a message not starting with "${source}: "`, error.message);
  // A YAML syntax error also shows the offending line and a caret: two short lines, nothing that moves the terminal.
  const excerptLines = error.excerpt === undefined ? [] : error.excerpt.split("\n");
  if (excerptLines.length !== 0 && excerptLines.length !== 2) fail("an excerpt that is not a line and a caret", error.excerpt ?? "");
  for (const line of excerptLines) {
    if (line.length > 120 || /[\r\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(line)) fail("an excerpt line too long or with control characters", line);
  }
  if (excerptLines.length === 2 && !/^ +\| +\^$/.test(excerptLines[1])) fail("an excerpt without a caret line", excerptLines[1]);
  const messageLines = error.message.split("\n");
  for (const line of messageLines.slice(0, messageLines.length - excerptLines.length)) {
    if (!PROBLEM_LINE.test(line.trim())) fail("a message line that is not `<path>: <problem>`", line);
  }
}

/** Runs `load`; returns the config, or undefined after checking the ConfigError. Anything else fails the property. */
function judge(source: string, load: () => DeployConfig): DeployConfig | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expectClearProblems(error, source);
    return undefined;
  }
}

function timed(label: string, body: () => void): void {
  const started = Date.now();
  body();
  timings.push(`${label}: ${Date.now() - started} ms`);
}

// ---- hostile values -------------------------------------------------------------------------------------------

const boundaryNumber = fc.constantFrom(
  -1, 0, 1, 2 ** 31, -(2 ** 31), 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  -0, 0.5, 1e308, 99, 100, 101, 2880, 2881, 65535, 65536,
);

const hugeString = fc
  .tuple(fc.integer({ min: 1000, max: 100_000 }), fc.constantFrom("x", "é", "😀", "\n", "\u0000", "-", "/", "\u202e", "\u2028", "a-"))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Values of the right type for some key, so type confusion between keys is explored too. */
const plausibleValue = fc.constantFrom<unknown>(
  "eu-west-1", "us-west-1", "10.0.0.0/16", "10.0.0.0/24", "0.0.0.0/0", "main", "prod", "a-b", "a--b",
  "CodeDeployDefault.ECSAllAtOnce", "canary", "linear", "s3", "cloud", "new", "existing", "ecr", "codebuild",
  "none", "single", "per-az", "vpc-0a1b2c3d", "subnet-0a1b2c3d", "release", "release*", "*", "/", "/health",
  256, 512, 1024, 8080, 2, 4, true, false, [], {}, { mode: "new" }, { backend: "s3" },
);

const cidrLike = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 5 }), fc.integer({ min: -1, max: 40 }))
  .map(([octets, prefix]) => `${octets.join(".")}/${prefix}`);

function nest(depth: number, asList: boolean): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = asList ? [value] : { nested: value };
  return value;
}

const deepNesting = fc.tuple(fc.integer({ min: 10, max: 5000 }), fc.boolean()).map(([depth, asList]) => nest(depth, asList));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  boundaryNumber,
  fc.integer(),
  fc.double(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  hugeString,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  deepNesting,
  plausibleValue,
  plausibleValue,
  cidrLike,
  fc.array(plausibleValue, { maxLength: 12 }),
  fc.dictionary(fc.string({ maxLength: 8 }), plausibleValue, { maxKeys: 4 }),
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withNullPrototype: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
  }),
);

const KNOWN_KEYS = [
  "project", "region", "github", "service", "pipeline", "ecr", "network", "environments", "state", "tags",
  "containerPort", "cpu", "memory", "deploymentConfig", "mode", "backend", "name", "azCount", "natGateways",
  "deploy", "strategy", "config", "traffic", "bakeTimeMinutes", "stepPercent",
];

const hostileKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "$schema", "", " "),
  fc.tuple(fc.constantFrom(...KNOWN_KEYS), fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([key, at, c]) => {
    const i = at % key.length;
    return `${key.slice(0, i)}${c}${key.slice(i + 1)}`;
  }),
  hugeString.map((text) => text.slice(0, 20_000)),
);

// ---- structural mutations -------------------------------------------------------------------------------------

type Key = string | number;

type Mutation =
  | { readonly kind: "set"; readonly at: number; readonly value: unknown }
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "addKey"; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: "wrapList" | "wrapMap" | "unwrap"; readonly at: number }
  | { readonly kind: "copy"; readonly at: number; readonly from: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addKey" as const), at: fc.nat(), key: hostileKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("wrapList" as const, "wrapMap" as const, "unwrap" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("copy" as const), at: fc.nat(), from: fc.nat() }) },
);

/**
 * Lists and mappings as YAML produces them; typed arrays, Maps and such are leaves (they cannot be edited like these).
 * Checked by tag, not prototype: jest runs tests in their own realm.
 */
function isPlainContainer(value: unknown): value is object {
  return Array.isArray(value) || Object.prototype.toString.call(value) === "[object Object]";
}

/**
 * A deep copy of lists and mappings in this realm (structuredClone would return objects of Node's outer realm).
 * Below 50 levels values are shared: only the freshly built deep-nesting values go that deep.
 */
function cloneData<T>(value: T, depth = 0): T {
  if (depth > 50) return value;
  if (Array.isArray(value)) return value.map((item) => cloneData(item, depth + 1)) as T;
  if (Object.prototype.toString.call(value) !== "[object Object]") return value;
  const copy: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    Object.defineProperty(copy, key, { value: cloneData(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return copy as T;
}

/** Every path in a plain JSON-like value, the root included. */
function pathsOf(value: unknown, prefix: Key[] = []): Key[][] {
  const paths: Key[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (isPlainContainer(value)) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

type Container = Record<Key, unknown>;

function containerAt(root: Container, path: Key[]): Container | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (!isPlainContainer(node)) return undefined;
    node = (node as Container)[key];
  }
  return isPlainContainer(node) ? (node as Container) : undefined;
}

function applyMutation(root: Container, paths: Key[][], m: Mutation): Container {
  const path = paths[m.at % paths.length];
  if (m.kind === "addKey") {
    const target = containerAt(root, path) ?? containerAt(root, path.slice(0, -1));
    // defineProperty, so "__proto__" becomes an own key as YAML's toJS makes it, not a prototype change.
    if (target) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return root;
  }
  if (path.length === 0) {
    return m.kind === "set" && m.value !== null && typeof m.value === "object" ? (m.value as Container) : root;
  }
  const parent = containerAt(root, path.slice(0, -1));
  if (!parent) return root;
  const key = path[path.length - 1];
  const current = parent[key];
  switch (m.kind) {
    case "set":
      parent[key] = m.value;
      break;
    case "delete":
      // Not splice: it builds its result through `constructor`, which an earlier addKey may have replaced on this array.
      if (Array.isArray(parent) && typeof key === "number") {
        if (key < parent.length) {
          parent.copyWithin(key, key + 1);
          parent.length -= 1;
        }
      } else delete parent[key];
      break;
    case "wrapList":
      parent[key] = [current];
      break;
    case "wrapMap":
      parent[key] = { value: current };
      break;
    case "unwrap":
      parent[key] = current !== null && typeof current === "object" ? Object.values(current)[0] : current;
      break;
    case "copy":
      parent[key] = containerAt(root, paths[m.from % paths.length]) ?? current;
      break;
  }
  return root;
}

/** A generated input, printed as cut JSON: fast-check's own printer recurses and overflows on 5000-deep values. */
interface Generated {
  readonly input: unknown;
  readonly [fc.toStringMethod]: () => string;
}

function generated(input: unknown): Generated {
  return { input, [fc.toStringMethod]: () => describeInput(input) };
}

const mutatedConfig = fc
  .tuple(fc.nat({ max: BASES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([base, mutations]) => {
    const root = cloneData(BASES[base]) as Container;
    const paths = pathsOf(root);
    // cloneData: constantFrom hands the same object to every run, and mutations must not leak between runs.
    return generated(mutations.reduce((config, m) => applyMutation(config, paths, { ...m, ...("value" in m ? { value: cloneData(m.value) } : {}) }), root));
  });

function describeInput(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? `${item}n` : item)) ?? String(value);
  } catch (error) {
    text = `<unprintable: ${(error as Error).message}>`;
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}... (${text.length} characters)` : text;
}

describe("generated configs (structural mutations of valid ones)", () => {
  it(`validate or fail with clear problem lines, never another exception (${STRUCTURAL_RUNS} runs)`, () => {
    timed("structural", () => {
      fc.assert(
        fc.property(mutatedConfig, ({ input }) => {
          const config = judge("fuzz.yaml", () => validateConfig(input, "fuzz.yaml"));
          tally.structural[config ? "valid" : "rejected"]++;
        }),
        { numRuns: STRUCTURAL_RUNS },
      );
    });
  });
});

// ---- random text as a config file ----------------------------------------------------------------------------

const exampleText = fc.constantFrom(...EXAMPLE_TEXTS);

const yamlText: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(..."{}[]:,-?|>&*!%@#'\"\n\t 0aZ.~"), maxLength: 200 }),
  fc.uint8Array({ maxLength: 400 }),
  // Truncated valid YAML.
  fc.tuple(exampleText, fc.nat()).map(([text, at]) => text.slice(0, at % (text.length + 1))),
  // Valid YAML with characters replaced, inserted or deleted.
  fc
    .tuple(exampleText, fc.array(fc.tuple(fc.nat(), fc.constantFrom("", " ", "\t", ":", "-", "[", "{", "&a", "*a", "!!binary ", "\n", "é", "\u0000"), fc.boolean()), { minLength: 1, maxLength: 5 }))
    .map(([text, edits]) =>
      edits.reduce((out, [at, insert, replace]) => {
        const i = at % (out.length + 1);
        return `${out.slice(0, i)}${insert}${out.slice(i + (replace ? 1 : 0))}`;
      }, text),
    ),
  // YAML features a config never needs: anchors, tags, merge keys, directives, complex keys, deep flow nesting.
  fc.constantFrom(
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "project: !!binary aGVsbG8=\n",
    "project: !!js/function 'function(){}'\n",
    "tags: !!set { a, b }\n",
    "tags: !!omap [ a: 1 ]\n",
    "base: &b { cpu: 256 }\nservice:\n  <<: *b\n",
    "%YAML 1.1\n---\nproject: demo\n",
    "? [a, b]\n: c\n",
    "? { a: 1 }\n: c\n",
    `a: ${"[".repeat(2000)}${"]".repeat(2000)}\n`,
    `a: ${"{b: ".repeat(1000)}1${"}".repeat(1000)}\n`,
    `a:\n  ${"- ".repeat(1000)}x\n`,
    `${"? ".repeat(400)}x\n`,
    `${Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} 1\n`,
    `${"? [a, b]\n: c\n".repeat(50)}`,
    `tags:\n  1: a\n  "1": b\n`,
    "project: .nan\nregion: .inf\n",
    "project: 0x1F\nregion: 1e400\n",
    "\uFEFF{}",
    "---\n...\n",
    "*\n",
  ),
  // A valid example with one hostile scalar spliced in as text.
  fc.tuple(exampleText, fc.string({ unit: "binary", maxLength: 40 })).map(([text, value]) => text.replace("eu-", `${JSON.stringify(value)}`)),
);

describe("generated config files (random and damaged YAML/JSON text)", () => {
  it(`load or fail with clear problem lines, never another exception (${YAML_TEXT_RUNS} runs)`, () => {
    let n = 0;
    timed("YAML text", () => {
      fc.assert(
        fc.property(yamlText, (text) => {
          const path = join(dir, `fuzz-${n++ % 8}.yaml`);
          writeFileSync(path, text);
          const config = judge(path, () => loadConfig(path));
          tally.yaml[config ? "valid" : "rejected"]++;
        }),
        { numRuns: YAML_TEXT_RUNS },
      );
    });
  });
});

// ---- plausible configs all the way to synth -------------------------------------------------------------------

const cidr = (minPrefix: number, maxPrefix: number) =>
  fc.tuple(fc.array(fc.nat({ max: 255 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: minPrefix, max: maxPrefix })).map(([octets, prefix]) => {
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
  });

const hexId = (prefix: string) => fc.stringMatching(/^[0-9a-f]{8,17}$/).map((hex) => `${prefix}-${hex}`);

const networkConfig = fc.oneof(
  fc.record(
    {
      mode: fc.constant("new"),
      vpcCidr: cidr(16, 24),
      azCount: fc.integer({ min: 2, max: 4 }),
      natGateways: fc.constantFrom("none", "single", "per-az"),
    },
    { requiredKeys: ["mode"] },
  ),
  fc.record(
    {
      mode: fc.constant("existing"),
      vpcId: hexId("vpc"),
      vpcCidr: cidr(16, 24),
      publicSubnetIds: fc.uniqueArray(hexId("subnet"), { minLength: 2, maxLength: 4 }),
      privateSubnetIds: fc.uniqueArray(hexId("subnet"), { minLength: 2, maxLength: 4 }),
      natPublicIps: fc.array(fc.ipV4(), { maxLength: 3 }),
    },
    { requiredKeys: ["mode", "vpcId", "vpcCidr", "publicSubnetIds", "privateSubnetIds"] },
  ),
);

const deploymentConfig = fc.oneof(
  fc.constantFrom(...ECS_DEPLOYMENT_PRESETS),
  fc.record({ type: fc.constantFrom("canary", "linear"), percentage: fc.integer({ min: 1, max: 99 }), intervalMinutes: fc.integer({ min: 1, max: 2880 }) }),
);

const ecsTraffic = fc.oneof(
  fc.constant("all-at-once"),
  fc.record({ type: fc.constant("linear"), stepPercent: fc.integer({ min: 30, max: 1000 }).map((t) => t / 10), stepMinutes: fc.integer({ min: 0, max: 1440 }) }),
  fc.record({ type: fc.constant("canary"), canaryPercent: fc.integer({ min: 1, max: 1000 }).map((t) => t / 10), canaryMinutes: fc.integer({ min: 0, max: 1440 }) }),
);

/** Both strategies, mostly codedeploy (ecs is refused with imageSource ecr), with every ECS traffic shift. */
const deploy = fc.oneof(
  {
    arbitrary: fc.record(
      { strategy: fc.constant("codedeploy"), config: deploymentConfig, terminationWaitMinutes: fc.integer({ min: 0, max: 2880 }) },
      { requiredKeys: [] },
    ),
    weight: 3,
  },
  {
    arbitrary: fc.record({ strategy: fc.constant("ecs"), bakeTimeMinutes: fc.integer({ min: 0, max: 1440 }), traffic: ecsTraffic }, { requiredKeys: ["strategy"] }),
    weight: 1,
  },
);

const environment = fc.record(
  {
    name: fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/),
    deploy,
    requireApproval: fc.boolean(),
    desiredCount: fc.integer({ min: 1, max: 100 }),
    certificateArn: fc.constant("arn:aws:acm:eu-west-1:123456789012:certificate/0b7f3a52-6d0e-4f0e-9b43-5b1d0c1e2a11"),
    testListenerCidrs: fc.array(cidr(0, 32), { maxLength: 3 }),
    prodIngressCidrs: fc.array(cidr(0, 32), { minLength: 1, maxLength: 3 }),
    deletionProtection: fc.boolean(),
    smokeTest: fc.boolean(),
    allowDestroy: fc.boolean(),
    network: networkConfig,
  },
  { requiredKeys: ["name"] },
);

const fargateSize = fc.constantFrom(...Object.keys(FARGATE_MEMORY_BY_CPU).map(Number)).chain((cpu) =>
  fc.constantFrom(...FARGATE_MEMORY_BY_CPU[cpu]).map((memory) => ({ cpu, memory })),
);

/** Fleet mode: services with their own repository and partial overrides of the top-level blocks. */
const fleetService = fc.record(
  {
    name: fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/),
    repository: fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,30}$/).filter((name) => !name.endsWith(".git")),
    branch: fc.constantFrom("main", "release", "feature/a"),
    service: fc.record(
      { containerPort: fc.integer({ min: 1, max: 65535 }), desiredCount: fc.integer({ min: 1, max: 100 }), size: fargateSize },
      { requiredKeys: [] },
    ).map(({ size, ...rest }) => ({ ...rest, ...size })),
    pipeline: fc.record({ executionMode: fc.constantFrom("SUPERSEDED", "QUEUED"), imageSource: fc.constantFrom("codebuild", "ecr") }, { requiredKeys: [] }),
  },
  { requiredKeys: ["name", "repository"] },
);

const plausibleConfig = fc
  .record({
    project: fc.stringMatching(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/),
    region: fc.constantFrom(...REGIONS),
    github: fc.record({
      owner: fc.stringMatching(/^[A-Za-z0-9]{1,39}$/),
      repository: fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/).filter((name) => !name.endsWith(".git")),
      branch: fc.constantFrom("main", "release/2024.1", "a", "feature/x-y_z"),
      deployEnvironment: fc.constantFrom({ soloEvaluation: true }, { reviewers: { teams: ["platform"] } }, { reviewers: { users: ["octo-cat"] } }),
    }),
    service: fc.tuple(fargateSize, fc.integer({ min: 1, max: 65535 }), fc.constantFrom("/", "/health", "/a/b.c_d-e", `/${"x".repeat(1000)}`)).map(
      ([size, containerPort, healthCheckPath]) => ({ ...size, containerPort, healthCheckPath }),
    ),
    pipeline: fc.record({
      imageSource: fc.constantFrom("codebuild", "ecr"),
      executionMode: fc.constantFrom("SUPERSEDED", "QUEUED"),
      artifactRetentionDays: fc.integer({ min: 1, max: 3650 }),
    }),
    ecr: fc.record({ keepTaggedImages: fc.integer({ min: 1, max: 1000 }), mutableTags: fc.constantFrom([], ["release"], ["rel*", "v*"]) }),
    network: networkConfig,
    environments: fc.uniqueArray(environment, { minLength: 1, maxLength: 3, selector: (e) => e.name }),
    services: fc.option(fc.uniqueArray(fleetService, { minLength: 1, maxLength: 3, selector: (e) => e.name }), { nil: undefined, freq: 3 }),
    state: fc.constantFrom({ backend: "s3", bucket: "acme-demo-tfstate" }, { backend: "cloud", organization: "acme" }),
    tags: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:/=+@-]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,30}$/), { maxKeys: 3 }),
  })
  // A certificate must come from the config's region (a rule of its own, tested in config-errors): keep them in step.
  .map((config) => ({
    ...config,
    environments: config.environments.map((e) => (e.certificateArn ? { ...e, certificateArn: e.certificateArn.replace(":eu-west-1:", `:${config.region}:`) } : e)),
  }));

describe("generated plausible configs, through synth", () => {
  it(`either fail validation cleanly or build and synthesize every stack (${SYNTH_RUNS} runs)`, () => {
    timed("synth", () => {
      fc.assert(
        fc.property(plausibleConfig, (input) => {
          const config = judge("fuzz.yaml", () => validateConfig(input, "fuzz.yaml"));
          if (!config) {
            tally.synth.rejected++;
            return;
          }
          const app = Testing.app({ stackTraces: false });
          const stacks = buildStacks(app as App, config);
          // Each stack's policy pack validation and its synth read the same Terraform JSON, as in `cdktf synth`.
          reuseTerraformJsonDuringSynth(stacks.all());
          for (const stack of stacks.all()) Testing.synth(stack, true);
          tally.synth.built++;
        }),
        { numRuns: SYNTH_RUNS },
      );
    });
  });
});
