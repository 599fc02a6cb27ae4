import { createHash } from "node:crypto";
import { Token } from "cdktf";

/** Length of the hash that replaces the truncated part of a long name. */
const HASH_LENGTH = 6;
/** The shortest hash a name may get so that the project prefix survives (65,536 values per prefix and suffix). */
const MIN_HASH_LENGTH = 4;
/** The config's longest project name (config/schema.ts refuses longer ones). */
export const PROJECT_NAME_MAX_LENGTH = 20;

/**
 * A deterministic resource name of at most `max` characters: `${name}-${suffix}` when it fits,
 * otherwise the name truncated, a short hash of the full name, then the suffix
 * (`my-very-long-project-na-1a2b3c-blue`). The suffix always survives, so blue and green
 * (or prod and test) stay distinguishable, and the hash keeps two long names that share
 * a prefix from colliding. The first PROJECT_NAME_MAX_LENGTH + 1 characters (the longest project and its hyphen)
 * are never cut (the hash shrinks to 4 characters first), so every name stays inside the project's `<project>-*`
 * IAM scopes. Used for AWS names with small limits: ALB and target group names are at most 32 characters,
 * alphanumerics and hyphens, not starting or ending with a hyphen.
 *
 * Names must be plain strings (resolved at synth time); a token cannot be measured.
 */
export function shortName(name: string, suffix: string, max: number): string {
  if (Token.isUnresolved(name) || Token.isUnresolved(suffix)) {
    throw new Error(`shortName: name and suffix must be plain strings, not tokens (got "${name}", "${suffix}")`);
  }
  const full = suffix ? `${name}-${suffix}` : name;
  if (full.length <= max) {
    return full;
  }
  const digest = createHash("sha256").update(full).digest("hex");
  // Never cut into the first PROJECT_NAME_MAX_LENGTH + 1 characters (the longest project and its hyphen): the IAM
  // scopes are `<project>-*`, so a name cut inside the project would fall outside them. The hash shrinks instead.
  const keepAtLeast = Math.min(name.length, PROJECT_NAME_MAX_LENGTH + 1);
  for (let length = HASH_LENGTH; length >= MIN_HASH_LENGTH; length--) {
    const hash = digest.slice(0, length);
    const tail = suffix ? `-${hash}-${suffix}` : `-${hash}`;
    const keep = max - tail.length;
    if (keep < 1 || keep < keepAtLeast) continue;
    // Trailing hyphens would produce "--" before the hash; AWS accepts it, but it reads like a bug.
    const prefix = name.slice(0, keep).replace(/-+$/, "");
    return `${prefix || name.slice(0, 1)}${tail}`;
  }
  throw new Error(
    `shortName: "${full}" does not fit in ${max} characters without cutting into its first ${keepAtLeast} (the project prefix IAM scopes rely on)`,
  );
}

/** AWS limit on ALB and target group names. */
export const ELB_NAME_MAX_LENGTH = 32;
