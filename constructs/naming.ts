import { createHash } from "node:crypto";
import { Token } from "cdktf";

/** Length of the hash that replaces the truncated part of a long name. */
const HASH_LENGTH = 6;

/**
 * A deterministic resource name of at most `max` characters: `${name}-${suffix}` when it fits,
 * otherwise the name truncated, a short hash of the full name, then the suffix
 * (`my-very-long-project-na-1a2b3c-blue`). The suffix always survives, so blue and green
 * (or prod and test) stay distinguishable, and the hash keeps two long names that share
 * a prefix from colliding. Used for AWS names with small limits: ALB and target group
 * names are at most 32 characters, alphanumerics and hyphens, not starting or ending with a hyphen.
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
  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  const tail = suffix ? `-${hash}-${suffix}` : `-${hash}`;
  const keep = max - tail.length;
  if (keep < 1) {
    throw new Error(`shortName: suffix "${suffix}" leaves no room for the name within ${max} characters`);
  }
  // Trailing hyphens would produce "--" before the hash; AWS accepts it, but it reads like a bug.
  const prefix = name.slice(0, keep).replace(/-+$/, "");
  return `${prefix || name.slice(0, 1)}${tail}`;
}

/** AWS limit on ALB and target group names. */
export const ELB_NAME_MAX_LENGTH = 32;
