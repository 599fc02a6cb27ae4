/**
 * The project's name scope, in one place: `<project>` and `<project>-*`, never `<project>2`. Every IAM name pattern
 * of the deploy role and the boundary is built from it (constructs/identity/deploy-policy.ts), and the config uses
 * it to keep the state bucket out of that scope. A longer project whose name starts with `<project>-` falls inside
 * it too (`payments` and `payments-api`): names cannot tell them apart, the project tag does (the policies' fence).
 */
export function projectNamePatterns(project: string): { exact: string; prefixed: string } {
  return { exact: project, prefixed: `${project}-*` };
}

/** Does a name fall inside the project's name scope? */
export function inProjectNameScope(project: string, name: string): boolean {
  return name === project || name.startsWith(`${project}-`);
}
