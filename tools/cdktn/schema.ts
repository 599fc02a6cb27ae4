/**
 * What changed in the provider schema between two prebuilt binding packages, for the modules the project imports:
 * the typed configuration interfaces of each module's index.d.ts (one per resource and nested block), property by
 * property. A removed or renamed argument breaks the project (the copy's typecheck fails too); an added one, or a
 * required one made optional, synthesizes the same but is what the first plan after a provider upgrade may show.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

interface Property {
  readonly optional: boolean;
  readonly deprecated: boolean;
  /** The Terraform argument name, from the generated doc link (`#access_log_configuration`). */
  readonly terraformName: string;
}

/** Exported interfaces of a generated module's declaration file: interface -> property -> facts. */
export function interfacesOf(declarationFile: string): Map<string, Map<string, Property>> {
  const source = ts.createSourceFile(declarationFile, readFileSync(declarationFile, "utf8"), ts.ScriptTarget.Latest, true);
  const result = new Map<string, Map<string, Property>>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const properties = new Map<string, Property>();
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member)) continue;
      const doc = member.getFullText(source);
      const link = /#(\w+) \w+#\w+\}/.exec(doc);
      properties.set(member.name.getText(source), { optional: member.questionToken !== undefined, deprecated: doc.includes("@deprecated"), terraformName: link?.[1] ?? "" });
    }
    result.set(statement.name.text, properties);
  }
  return result;
}

/** One line per change of module `module` between two packages' lib folders, e.g. `ecs-service: EcsServiceServiceConnectConfiguration.accessLogConfiguration (access_log_configuration): added, optional`. */
export function moduleChanges(module: string, beforeLib: string, afterLib: string): string[] {
  const before = interfacesOf(join(beforeLib, module, "index.d.ts"));
  const after = interfacesOf(join(afterLib, module, "index.d.ts"));
  const changes: string[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [old, now] = [before.get(name), after.get(name)];
    if (!now) changes.push(`${module}: ${name}: removed`);
    else if (!old) changes.push(`${module}: ${name}: added`);
    else {
      for (const property of [...new Set([...old.keys(), ...now.keys()])].sort()) {
        const [was, is] = [old.get(property), now.get(property)];
        const label = `${module}: ${name}.${property} (${(is ?? was)?.terraformName || "-"})`;
        if (!is) changes.push(`${label}: removed`);
        else if (!was) changes.push(`${label}: added, ${is.optional ? "optional" : "required"}`);
        else {
          if (was.optional !== is.optional) changes.push(`${label}: now ${is.optional ? "optional" : "required"}`);
          if (!was.deprecated && is.deprecated) changes.push(`${label}: now deprecated`);
        }
      }
    }
  }
  return changes;
}

/** Changes that break a project setting the argument: removals, and arguments that became required. */
export function isBreaking(change: string): boolean {
  return /: (removed|added, required|now required)$/.test(change);
}
