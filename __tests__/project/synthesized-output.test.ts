import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { loadConfig, validateConfig } from "../../config";
import { FORCE_DELETE_ARGUMENTS, STATEFUL_RESOURCE_TYPES } from "../../constructs/core/destroy-protection";
import { buildStacks } from "../../stacks";

/**
 * Properties of everything the committed examples synthesize: stateful resources cannot be
 * destroyed by a routine change, nothing force-deletes, and no credential ever lands in the output.
 */
const EXAMPLES_DIR = join(__dirname, "..", "..", "config", "examples");
const PROJECT_ROOT = join(__dirname, "..", "..");
const examples = readdirSync(EXAMPLES_DIR).filter((file) => /\.ya?ml$/.test(file)).sort();

interface Synthesized {
  readonly text: string;
  readonly resources: { stack: string; type: string; name: string; body: Record<string, unknown> }[];
  /** Per stack, per block (`resource.<type>.<name>`, `data.<type>.<name>`, `output.<name>`, `provider.<name>`, ...), a digest of its body. */
  readonly digests: Record<string, Record<string, string>>;
}

function synthesizeAll(configPath: string): Synthesized {
  const app = Testing.app({ stackTraces: false });
  const stacks = buildStacks(app as App, loadConfig(configPath));
  const texts: string[] = [];
  const resources: Synthesized["resources"] = [];
  const digests: Synthesized["digests"] = {};
  for (const stack of stacks.all()) {
    const text = Testing.synth(stack);
    texts.push(text);
    const json = JSON.parse(text) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, body] of Object.entries(byName)) resources.push({ stack: stack.node.id, type, name, body });
    }
    digests[stack.node.id] = blockDigests(JSON.parse(text) as Record<string, unknown>);
  }
  return { text: texts.join("\n"), resources, digests };
}

/** Blocks two levels deep for resource and data (type, name), one level for the rest; cdktf's `//` metadata is not infrastructure. */
function blockDigests(json: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  const nested = new Set(["resource", "data"]);
  for (const [kind, value] of Object.entries(json)) {
    if (kind === "//") continue;
    const entries = Object.entries(value as Record<string, unknown>).flatMap(([key, body]): [string, unknown][] =>
      nested.has(kind) ? Object.entries(body as Record<string, unknown>).map(([name, inner]) => [`${kind}.${key}.${name}`, inner]) : [[`${kind}.${key}`, body]],
    );
    // The bootstrap stack's local backend names an absolute path in the checkout: digest it as <project>.
    const text = (body: unknown) => JSON.stringify(withoutMetadata(body)).split(PROJECT_ROOT).join("<project>");
    for (const [key, body] of entries) result[key] = createHash("sha256").update(text(body)).digest("hex").slice(0, 16);
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//").map(([key, inner]) => [key, withoutMetadata(inner)]));
}

const synthesized = new Map(examples.map((file) => [file, synthesizeAll(join(EXAMPLES_DIR, file))]));

/*
 * The pinned digests prove a refactor changed nothing Terraform would see: every block of every
 * stack of every example synthesizes to the same JSON. An intended change re-pins with
 * UPDATE_SYNTH_DIGESTS=1 npx jest __tests__/project/synthesized-output.test.ts (and says why in its commit).
 */
const DIGESTS_FILE = join(__dirname, "..", "fixtures", "synthesized-digests.json");
if (process.env.UPDATE_SYNTH_DIGESTS === "1") {
  writeFileSync(DIGESTS_FILE, `${JSON.stringify(Object.fromEntries([...synthesized].map(([file, s]) => [file, s.digests])), null, 2)}\n`);
}
const pinnedDigests = existsSync(DIGESTS_FILE)
  ? (JSON.parse(readFileSync(DIGESTS_FILE, "utf8")) as Record<string, Record<string, Record<string, string>>>)
  : {};

describe("pinned synthesized output", () => {
  test("every example config has pinned digests", () => {
    expect(Object.keys(pinnedDigests).sort()).toEqual(examples);
  });

  test.each(examples)("every block %s synthesizes is unchanged", (file) => {
    const before = pinnedDigests[file] ?? {};
    const after = synthesized.get(file)!.digests;
    const changed: string[] = [];
    for (const stack of new Set([...Object.keys(before), ...Object.keys(after)])) {
      for (const key of new Set([...Object.keys(before[stack] ?? {}), ...Object.keys(after[stack] ?? {})])) {
        const [old, now] = [before[stack]?.[key], after[stack]?.[key]];
        if (old !== now) changed.push(`${stack}: ${key} ${old === undefined ? "added" : now === undefined ? "removed" : "changed"}`);
      }
    }
    expect(changed).toEqual([]);
  });
});

/** Patterns of real credentials (AWS key ids and secrets, GitHub tokens, private keys, HCP tokens, Slack tokens). */
const CREDENTIAL_PATTERNS: readonly [string, RegExp][] = [
  ["AWS access key id", /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/],
  ["AWS secret access key", /aws_secret_access_key|secret_key"\s*:\s*"[A-Za-z0-9/+=]{40}"/i],
  ["GitHub token", /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}/],
  ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["HCP Terraform token", /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}/],
  ["Slack token", /\bxox[baprs]-[A-Za-z0-9-]{10,}/],
  ["password literal", /"(password|secret|token)"\s*:\s*"(?!\$\{)[^"]{8,}"/i],
];

describe.each(examples)("synthesized output of %s", (file) => {
  const { text, resources } = synthesized.get(file)!;

  test("contains no credential", () => {
    const found = CREDENTIAL_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
    expect(found).toEqual([]);
  });

  test("never force-deletes a bucket or repository", () => {
    const forced = resources
      .filter((r) => FORCE_DELETE_ARGUMENTS.some((argument) => r.body[argument] === true))
      .map((r) => `${r.stack}: ${r.type}.${r.name}`);
    expect(forced).toEqual([]);
  });

  test("protects every stateful resource with prevent_destroy unless its environment opted out", () => {
    const config = loadConfig(join(EXAMPLES_DIR, file));
    const optedOut = config.environments.filter((e) => e.allowDestroy).map((e) => `Env${e.name[0].toUpperCase()}${e.name.slice(1)}_`);
    const unprotected = resources
      .filter((r) => STATEFUL_RESOURCE_TYPES.includes(r.type))
      .filter((r) => !optedOut.some((prefix) => r.name.startsWith(prefix)))
      .filter((r) => (r.body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy !== true)
      .map((r) => `${r.stack}: ${r.type}.${r.name}`);
    expect(unprotected).toEqual([]);
  });
});

describe("destroy opt-outs", () => {
  const config = (allowDestroy: boolean) =>
    validateConfig(
      {
        project: "scratch",
        region: "eu-west-1",
        allowDestroy,
        github: { owner: "acme", repository: "web", deployEnvironment: { soloEvaluation: true } },
        pipeline: { buildContext: "app" },
        environments: [{ name: "dev", allowDestroy: true }],
        state: { backend: "s3", bucket: "acme-scratch-tfstate" },
      },
      "test",
    );

  test("an opted-out environment's log groups may be destroyed while project-wide resources stay protected", () => {
    const app = Testing.app({ stackTraces: false });
    const json = JSON.parse(Testing.synth(buildStacks(app as App, config(false)).firstDelivery)) as {
      resource: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
    };
    const protectedState = (type: string, prefix: string) =>
      Object.entries(json.resource[type]).filter(([name]) => name.startsWith(prefix)).map(([, r]) => r.lifecycle?.prevent_destroy === true);
    expect(protectedState("aws_cloudwatch_log_group", "EnvDev_")).not.toContain(true);
    expect(protectedState("aws_ecr_repository", "Repository")).toEqual([true]);
  });

  test("allowDestroy at the top level releases the project-wide resources too", () => {
    const app = Testing.app({ stackTraces: false });
    const json = JSON.parse(Testing.synth(buildStacks(app as App, config(true)).firstDelivery)) as {
      resource: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
    };
    const repository = Object.values(json.resource.aws_ecr_repository)[0];
    expect(repository.lifecycle?.prevent_destroy).not.toBe(true);
  });
});

describe("the credential scan", () => {
  test.each([
    ["AWS access key id", '"access_key": "AKIAIOSFODNN7EXAMPLE"'],
    ["AWS secret access key", '"secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'],
    ["GitHub token", `"token": "ghp_${"a".repeat(36)}"`],
    ["private key", "-----BEGIN RSA PRIVATE KEY-----"],
    ["password literal", '"password": "hunter2hunter2"'],
  ])("recognizes a %s", (name, sample) => {
    const pattern = CREDENTIAL_PATTERNS.find(([label]) => label === name)![1];
    expect(pattern.test(sample)).toBe(true);
  });

  test("does not mistake a Terraform reference for a secret", () => {
    const literal = CREDENTIAL_PATTERNS.find(([label]) => label === "password literal")![1];
    expect(literal.test('"secret_token": "${terraform_data.WebhookSecret_Value.output}"')).toBe(false);
  });
});
