/**
 * Turns `terraform show -json` plans (one per stack) into the pull-request comment of
 * `.github/workflows/pr.yml`: a summary table first, destroys and replacements called out, changes
 * CodeDeploy makes outside Terraform labelled as expected, each full plan collapsed. GitHub caps a
 * comment at 65,536 characters; a longer one drops the full plans and points to the job summary.
 *
 * With the review's decisions (tools/review/decide.ts), the comment also says why each stack was planned,
 * lists the stacks the change does not touch as "unchanged, not planned", flags stacks removed from the code
 * (merging never destroys their resources), and says so when every stack was planned because the base could
 * not be synthesized.
 *
 * CLI: tsx tools/review/plan-comment.ts <plans-dir> <result.json> [summary.md] [review.json]
 *   <plans-dir> holds, per stack, `<stack>.json` (terraform show -json), `<stack>.txt` (the plan as text) and,
 *   when the plan failed, `<stack>.error` (its output). Writes {"body","hasChanges"}.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AffectedResult, StackDecision } from "./affected";

/** Hidden marker: the workflow finds and updates the comment that carries it instead of adding another. */
export const COMMENT_MARKER = "<!-- cdktf-plan-comment -->";
/** GitHub's limit on a comment body. */
export const MAX_COMMENT_CHARS = 65_536;
/** Attributes CodeDeploy rewrites during a blue/green deployment (Terraform ignores them, see docs/design.md). */
export const CODEDEPLOY_OWNED: Readonly<Record<string, readonly string[]>> = {
  aws_ecs_service: ["task_definition", "load_balancer", "desired_count"],
  aws_lb_listener: ["default_action"],
  aws_lb_listener_rule: ["action"],
};

/** The parts of Terraform's JSON plan format this script reads. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    /** The names of the top-level attributes that change: what the planner keeps instead of before/after (redacted). */
    readonly changed_attributes?: readonly string[];
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  readonly action_reason?: string;
}

export interface StackPlan {
  readonly stack: string;
  readonly plan?: PlanJson;
  /** `terraform show -no-color` output (sensitive values already redacted by Terraform). */
  readonly text?: string;
  /** Set when `terraform plan` failed: its output. */
  readonly error?: string;
}

export interface StackSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
  readonly destroyed: string[];
  readonly replaced: string[];
  /** Drift or updates limited to CodeDeploy-owned attributes: `address (attr, attr)`. */
  readonly expected: string[];
  /** Any other change made outside Terraform. */
  readonly drift: string[];
  readonly failed: boolean;
}

/** Counts and classifies one stack's changes. */
export function summarize(input: StackPlan): StackSummary {
  const changes = (input.plan?.resource_changes ?? []).filter((c) => c.mode !== "data");
  const destroyed: string[] = [];
  const replaced: string[] = [];
  const expected: string[] = [];
  const drift: string[] = [];
  let add = 0;
  let change = 0;
  for (const c of changes) {
    const actions = c.change.actions;
    if (actions.includes("create") && actions.includes("delete")) replaced.push(`${c.address}${replaceReason(c)}`);
    else if (actions.includes("delete")) destroyed.push(c.address);
    else if (actions.includes("create")) add += 1;
    else if (actions.includes("update")) {
      change += 1;
      const owned = codeDeployOwned(c);
      if (owned) expected.push(owned);
    }
  }
  for (const d of input.plan?.resource_drift ?? []) {
    const owned = codeDeployOwned(d);
    if (owned) expected.push(owned);
    else drift.push(`${d.address} (${changedAttributes(d).join(", ") || d.change.actions.join("/")})`);
  }
  return {
    stack: input.stack,
    add,
    change,
    destroy: destroyed.length,
    replace: replaced.length,
    destroyed,
    replaced,
    expected,
    drift,
    failed: input.error !== undefined,
  };
}

function replaceReason(c: ResourceChange): string {
  const paths = (c.change.replace_paths ?? []).map((p) => p.join("."));
  return paths.length > 0 ? ` (forced by ${paths.join(", ")})` : "";
}

/** Top-level attributes whose value differs between before and after. */
export function changedAttributes(c: ResourceChange): string[] {
  if (c.change.changed_attributes) return [...c.change.changed_attributes].sort();
  const before = (c.change.before ?? {}) as Record<string, unknown>;
  const after = (c.change.after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** `address (attrs)` when every changed attribute is one CodeDeploy owns; undefined otherwise. */
function codeDeployOwned(c: ResourceChange): string | undefined {
  const owned = CODEDEPLOY_OWNED[c.type];
  if (!owned || !c.change.actions.every((a) => a === "update" || a === "no-op")) return undefined;
  const changed = changedAttributes(c).filter((a) => a !== "tags_all");
  if (changed.length === 0 || !changed.every((a) => owned.includes(a))) return undefined;
  return `${c.address} (${changed.join(", ")})`;
}

const hasChanges = (s: StackSummary): boolean => s.failed || s.add + s.change + s.destroy + s.replace > 0 || s.drift.length > 0;

function headline(summaries: readonly StackSummary[], removed: number): string {
  const failed = summaries.filter((s) => s.failed).length;
  const destroys = summaries.reduce((n, s) => n + s.destroy + s.replace, 0);
  if (failed > 0) return `❌ plan failed for ${failed} of ${summaries.length} stacks`;
  const risks = [destroys > 0 && `${destroys} resource(s) will be destroyed or replaced`, removed > 0 && `${removed} stack(s) removed from the code`];
  if (destroys > 0 || removed > 0) return `⚠️ ${risks.filter(Boolean).join("; ")}`;
  return summaries.some(hasChanges) ? "✅ changes, nothing destroyed" : "✅ no changes";
}

/** Why a planned stack was planned, for the table's last column. */
const WHY: Readonly<Record<StackDecision["status"], (d: StackDecision) => string>> = {
  new: () => "new stack",
  changed: () => "changed",
  "inputs-changed": (d) => d.reasons.map((r) => r.replace(/ that may change:.*$/, "")).join("; "),
  unknown: () => "no base to compare",
  removed: () => "removed",
  unchanged: () => "unchanged",
};

function table(summaries: readonly StackSummary[], decisions?: ReadonlyMap<string, StackDecision>): string[] {
  const why = (stack: string): string => {
    const decision = decisions?.get(stack);
    return decisions ? ` ${decision ? WHY[decision.status](decision) : ""} |` : "";
  };
  const rows = summaries.map((s) =>
    s.failed
      ? `| \`${s.stack}\` | ❌ failed | | | | |${why(s.stack)}`
      : `| \`${s.stack}\` | ${s.add} | ${s.change} | ${s.destroy ? `**${s.destroy}** ⚠️` : 0} | ${s.replace ? `**${s.replace}** ⚠️` : 0} | ${s.expected.length} |${why(s.stack)}`,
  );
  const header = decisions ? ["| Stack | Add | Change | Destroy | Replace | Expected (CodeDeploy) | Planned because |", "|---|---|---|---|---|---|---|"] : ["| Stack | Add | Change | Destroy | Replace | Expected (CodeDeploy) |", "|---|---|---|---|---|---|"];
  return [...header, ...rows];
}

/** The review's lines: the fallback note, removed stacks (a destroy risk), unchanged stacks not planned. */
function reviewLines(review: AffectedResult | undefined): { risks: string[]; afterTable: string[] } {
  if (!review) return { risks: [], afterTable: [] };
  const risks = review.fallback ? ["", `Every stack was planned: ${review.fallback}.`] : [];
  const removed = review.stacks.filter((d) => d.status === "removed");
  if (removed.length > 0) {
    risks.push(
      "",
      "### ⚠️ Removed from the code: merging does not destroy these stacks' resources",
      "",
      "They keep running (and costing) without anyone managing them. To remove them, run `cdktf destroy <stack>` from the base branch before merging; to keep them, keep the stack in the code.",
      "",
      ...removed.map((d) => `- \`${d.stack}\`: ${d.reasons.join("; ")}`),
    );
  }
  const unplanned = review.stacks.filter((d) => !d.plan && d.status !== "removed");
  const afterTable = unplanned.length === 0 ? [] : ["", `Unchanged, not planned (${unplanned.length}): ${unplanned.map((d) => `\`${d.stack}\`${d.status === "unchanged" ? "" : ` (${d.reasons.join("; ")})`}`).join(", ")}`];
  return { risks, afterTable };
}

function bullets(title: string, items: readonly [string, readonly string[]][]): string[] {
  const lines = items.flatMap(([stack, entries]) => entries.map((e) => `- \`${stack}\`: \`${e}\``));
  return lines.length > 0 ? ["", title, "", ...lines] : [];
}

function details(plans: readonly StackPlan[], withFullPlans: boolean, summaryNote: string): string[] {
  if (!withFullPlans) return ["", summaryNote];
  return plans.flatMap((p) => {
    const body = p.error ?? p.text ?? "(no plan output)";
    return ["", `<details><summary>${p.error ? "Error" : "Full plan"}: <code>${p.stack}</code></summary>`, "", "```", body.trimEnd(), "```", "</details>"];
  });
}

export interface CommentOptions {
  /** Link to the workflow run, shown under the table. */
  readonly runUrl?: string;
  readonly sha?: string;
  /** @default MAX_COMMENT_CHARS */
  readonly maxChars?: number;
  /** The review's decisions (tools/review/decide.ts): why stacks were planned or not. @default - no review section */
  readonly review?: AffectedResult;
}

export interface CommentResult {
  readonly body: string;
  /** False when every stack planned without changes (the workflow then creates no new comment). */
  readonly hasChanges: boolean;
  /** True when the full plans did not fit and only live in the job summary. */
  readonly truncated: boolean;
  /** The complete report, for the job summary. */
  readonly fullReport: string;
}

/** The comment body for all stacks, with the full plans when they fit under the cap. */
export function renderComment(plans: readonly StackPlan[], options: CommentOptions = {}): CommentResult {
  const max = options.maxChars ?? MAX_COMMENT_CHARS;
  const summaries = plans.map(summarize);
  const decisions = options.review && new Map(options.review.stacks.map((d) => [d.stack, d]));
  const removed = options.review?.stacks.filter((d) => d.status === "removed").length ?? 0;
  const review = reviewLines(options.review);
  const head = [
    COMMENT_MARKER,
    `## cdktf plan: ${headline(summaries, removed)}`,
    "",
    ...table(summaries, decisions),
    ...review.afterTable,
    ...(options.runUrl || options.sha ? ["", [options.sha && `Commit ${options.sha}`, options.runUrl && `[workflow run](${options.runUrl})`].filter(Boolean).join(" · ")] : []),
    ...review.risks,
    ...bullets("### ⚠️ Destroyed", summaries.map((s) => [s.stack, s.destroyed])),
    ...bullets("### ⚠️ Replaced (destroyed, then created again)", summaries.map((s) => [s.stack, s.replaced])),
    ...bullets("### Changed outside Terraform (unexpected drift)", summaries.map((s) => [s.stack, s.drift])),
    ...bullets(
      "### Expected: changed by CodeDeploy deployments (Terraform ignores these attributes)",
      summaries.map((s) => [s.stack, s.expected]),
    ),
  ];
  const full = [...head, ...details(plans, true, "")].join("\n");
  const hasAny = summaries.some(hasChanges) || removed > 0;
  if (full.length <= max) return { body: full, hasChanges: hasAny, truncated: false, fullReport: full };
  const note = `The full plans are too long for a comment (${full.length} characters; GitHub allows ${max}): open the job summary of the workflow run.`;
  let body = [...head, ...details(plans, false, note)].join("\n");
  if (body.length > max) body = `${body.slice(0, max - 200)}\n\n… (truncated: see the job summary of the workflow run)`;
  return { body, hasChanges: hasAny, truncated: true, fullReport: full };
}

/** Reads `<stack>.json`, `<stack>.txt` and `<stack>.error` files from a folder (nothing else), stacks in name order. */
export function readPlans(dir: string): StackPlan[] {
  const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && /\.(json|txt|error)$/.test(f.name));
  const stacks = [...new Set(files.map((f) => f.name.replace(/\.(json|txt|error)$/, "")))].sort();
  const read = (file: string): string | undefined => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : undefined);
  return stacks.map((stack) => {
    const json = read(`${stack}.json`);
    return { stack, plan: json ? (JSON.parse(json) as PlanJson) : undefined, text: read(`${stack}.txt`), error: read(`${stack}.error`) };
  });
}

function main(argv: readonly string[]): void {
  const [dir, out, summaryFile, reviewFile] = argv;
  if (!dir || !out) {
    console.error("usage: tsx tools/review/plan-comment.ts <plans-dir> <result.json> [summary.md] [review.json]");
    process.exitCode = 2;
    return;
  }
  const review = reviewFile && existsSync(reviewFile) ? (JSON.parse(readFileSync(reviewFile, "utf8")) as AffectedResult) : undefined;
  const result = renderComment(readPlans(dir), { runUrl: process.env.RUN_URL, sha: process.env.HEAD_SHA, review });
  writeFileSync(out, JSON.stringify({ body: result.body, hasChanges: result.hasChanges }));
  // The job summary takes up to 1 MiB per step.
  if (summaryFile) writeFileSync(summaryFile, result.fullReport.slice(0, 1_000_000), { flag: "a" });
  console.log(`plan comment: ${result.body.length} characters${result.truncated ? " (full plans in the job summary)" : ""}`);
}

if (require.main === module) main(process.argv.slice(2));
