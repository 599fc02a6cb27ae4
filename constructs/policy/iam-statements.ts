/**
 * Normalizes IAM statements from the two places they appear in synthesized Terraform: the
 * `statement` blocks of `aws_iam_policy_document` data sources (how this project renders every
 * policy) and literal policy JSON (how hand-written resources often do it).
 */
import { IamStatement } from "./types";
import { blocks, isObject, Json, strings } from "./values";

/** Statements of an `aws_iam_policy_document` data source body (without source/override documents). */
export function statementsFromDocument(body: Json): IamStatement[] {
  return blocks(body.statement).map((s) => ({
    sid: typeof s.sid === "string" ? s.sid : undefined,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals: blocks(s.principals).map((p) => ({ type: String(p.type), identifiers: strings(p.identifiers) })),
    conditions: blocks(s.condition).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: strings(c.values),
    })),
  }));
}

/** Statements of a literal IAM JSON policy; undefined when the text is not a JSON policy. */
export function statementsFromJson(text: string): IamStatement[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const raw = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const statements = raw.filter(isObject);
  if (statements.length === 0) return undefined;
  return statements.map((s) => ({
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals: principalsFromJson(s.Principal),
    conditions: conditionsFromJson(s.Condition),
  }));
}

function principalsFromJson(value: unknown): IamStatement["principals"] {
  if (value === "*") return [{ type: "*", identifiers: ["*"] }];
  if (!isObject(value)) return [];
  return Object.entries(value).map(([type, ids]) => ({ type, identifiers: strings(ids) }));
}

function conditionsFromJson(value: unknown): IamStatement["conditions"] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([test, vars]) =>
    isObject(vars) ? Object.entries(vars).map(([variable, values]) => ({ test, variable, values: strings(values) })) : [],
  );
}

/** Does an IAM action pattern (with `*` / `?` wildcards) match `action`? Case-insensitive, as IAM is. */
export function actionMatches(pattern: string, action: string): boolean {
  return patternRegex(pattern).test(action);
}

const regexCache = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`, "i");
    regexCache.set(pattern, regex);
  }
  return regex;
}

/** A short label for messages: the sid, or the statement's position. */
export function statementLabel(statement: IamStatement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement #${index + 1}`;
}
