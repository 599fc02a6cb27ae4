/** Text helpers shared by the commands: the traffic bar, progress lines, durations. */
import { AlarmState, DeploymentSnapshot } from "./strategies/strategy";

const BAR_WIDTH = 24;

/** `[#########---------------]` for a share 0-100 (ASCII, so logs and every terminal font show it). */
export function bar(percent: number | undefined): string {
  const filled = Math.round(((percent ?? 0) / 100) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
}

/** `3m 05s`, `1h 02m`, `40s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** `2026-12-01 18:04:05Z` (UTC, so CI logs and laptops agree). */
export function timestamp(date: Date | number | undefined): string {
  if (date === undefined) return "-";
  return new Date(date).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function hooksText(snapshot: DeploymentSnapshot): string {
  return snapshot.hooks.length === 0 ? "none" : snapshot.hooks.map((h) => `${h.event} ${h.status}`).join(", ");
}

/** `OK` when every alarm is OK, else the ones that are not. */
export function alarmsText(alarms: readonly AlarmState[]): string {
  if (alarms.length === 0) return "none";
  const firing = alarms.filter((a) => a.state !== "OK");
  return firing.length === 0 ? `OK (${alarms.length})` : firing.map((a) => `${a.name} ${a.state}`).join(", ");
}

/** The facts of one look at a deployment, the same words on a terminal and in CI. */
export function progressFacts(snapshot: DeploymentSnapshot, alarms: readonly AlarmState[]): string {
  const traffic = snapshot.trafficPercent === undefined ? "-" : `${snapshot.trafficPercent}%`;
  return `${snapshot.status} · traffic ${traffic} · step ${snapshot.step ?? "-"} · hooks ${hooksText(snapshot)} · alarms ${alarmsText(alarms)}`;
}

/** Pads the first column of rows to one width. */
export function columns(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => indent + row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join("  ").trimEnd());
}
