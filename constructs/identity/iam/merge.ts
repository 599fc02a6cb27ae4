import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { PolicyStatement } from "./statement";

/**
 * Folds statements that share a sid into one listing every resource once, in first-seen order. Actions
 * bound once per environment grant the same sid each time (`CodeDeployApplications`); the role gets one
 * statement. Environments hold different tokens for the same ARN (a shared application), so resources are
 * compared after resolving them in `scope`. A sid granted with different actions or conditions is a
 * programming error.
 */
export function mergeStatements(scope: IConstruct, statements: readonly PolicyStatement[]): PolicyStatement[] {
  const resolve = (value: unknown) =>
    JSON.stringify(Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) }));
  const merged = new Map<string, { statement: PolicyStatement; resources: string[]; seen: Set<string> }>();
  const shape = (s: PolicyStatement) => resolve({ ...s, resources: undefined });
  for (const statement of statements) {
    let entry = merged.get(statement.sid);
    if (!entry) {
      entry = { statement, resources: [], seen: new Set() };
      merged.set(statement.sid, entry);
    } else if (shape(entry.statement) !== shape(statement)) {
      throw new Error(`statement "${statement.sid}" is granted twice with different actions, principals or conditions`);
    }
    add(entry, statement.resources ?? []);
  }
  return [...merged.values()].map(({ statement, resources }) =>
    statement.resources === undefined ? statement : { ...statement, resources },
  );

  function add(entry: { resources: string[]; seen: Set<string> }, resources: readonly string[]): void {
    for (const resource of resources) {
      const key = resolve(resource);
      if (entry.seen.has(key)) continue;
      entry.seen.add(key);
      entry.resources.push(resource);
    }
  }
}
