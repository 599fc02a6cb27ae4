/**
 * Small readers for synthesized Terraform JSON. cdktf writes single nested blocks as objects and
 * repeated ones as arrays; hand-written overrides may use either, so every reader accepts both.
 */
import { TfBlock, Violation } from "./types";

export type Json = Readonly<Record<string, unknown>>;

/** A nested block argument as a list of objects (object -> [object], undefined -> []). */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The first (usually only) nested block, or undefined. */
export function block(value: unknown): Json | undefined {
  return blocks(value)[0];
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A literal `true` (Terraform also accepts the string "true"). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** A list argument as strings; a single string becomes a one-element list. */
export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

/** A number, from a literal number or numeric string; undefined otherwise (including expressions). */
export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** True when the value is (or contains) a Terraform expression rather than a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** `lifecycle.ignore_changes` covers `attribute` (or is `all`). */
export function ignoresChanges(body: Json, attribute: string): boolean {
  const ignore = block(body.lifecycle)?.ignore_changes;
  if (ignore === "all") return true;
  return strings(ignore).some((a) => a === attribute || a === "all");
}

/** Builds a violation for a block. */
export function violation(target: TfBlock, message: string): Violation {
  return { address: target.address, path: target.path, message };
}

/** Is `path` the construct `scope` or inside it? */
export function isWithin(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}
