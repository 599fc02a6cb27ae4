/** Renders timelines as readable (markdown) tables. */
import { Comparison, Safety, Scenario, TARGET_RATIO } from "./compare";
import { EnvironmentTimeline, PipelineTimeline, describeRouting } from "./model";

/** `45 s`, `9 min 10 s`, `1 h 23 min 5 s`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  if (s < 60) return `${s} s`;
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts = [hours > 0 ? `${hours} h` : "", minutes > 0 || hours > 0 ? `${minutes} min` : "", seconds > 0 ? `${seconds} s` : ""];
  return parts.filter((p) => p !== "").join(" ");
}

/** A markdown table with padded columns. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function readyLabel(env: EnvironmentTimeline): string {
  const o = env.environment.readyOption;
  if (o.actionOnTimeout === "STOP_DEPLOYMENT") return "+ human";
  return o.waitMinutes > 0 ? formatDuration(o.waitMinutes * 60) : "0 s";
}

/** One row per environment: its settings and the cumulative times from pipeline start. */
function stepSeconds(t: EnvironmentTimeline, name: string): number {
  return t.steps.find((s) => s.name === name)?.seconds ?? 0;
}

export function environmentTable(timelines: readonly { label: string; timeline: PipelineTimeline }[]): string {
  const rows = timelines.flatMap(({ label, timeline }) =>
    timeline.environments.map((t) => {
      const env = t.environment;
      const tg = env.targetGroup;
      return [
        label,
        env.name,
        describeRouting(env.routing),
        `${tg.intervalSeconds} s x ${tg.healthyThreshold}, grace ${env.healthCheckGracePeriodSeconds} s`,
        formatDuration(stepSeconds(t, "targets healthy")),
        readyLabel(t),
        formatDuration(stepSeconds(t, "traffic shift")),
        `${env.terminationWaitMinutes} min + ${tg.deregistrationDelaySeconds} s`,
        formatDuration(t.fullTrafficAtSeconds) + (t.humanGates > 0 ? ` + ${t.humanGates} human` : ""),
        formatDuration(t.oldTasksTerminatedAtSeconds),
      ];
    }),
  );
  return table(
    ["pipeline", "environment", "traffic shift", "health check", "healthy after", "reroute wait", "shift time", "termination", "100% prod traffic at", "old tasks terminated at"],
    rows,
  );
}

/** Every modeled step of one pipeline, in order, with the time it ends. */
export function stepsTable(timeline: PipelineTimeline): string {
  const rows: string[][] = [];
  const steps = [
    ...timeline.pipelineSteps.map((s) => ({ env: "", ...s })),
    ...timeline.environments.flatMap((t) => t.steps.map((s) => ({ env: t.environment.name, ...s }))),
  ].sort((a, b) => a.endsAtSeconds - b.endsAtSeconds || a.endsAtSeconds - a.seconds - (b.endsAtSeconds - b.seconds));
  for (const s of steps) rows.push([s.env, s.name, formatDuration(s.seconds), formatDuration(s.endsAtSeconds), s.note ?? ""]);
  return table(["environment", "step", "takes", "ends at", "note"], rows);
}

function safetyLine(s: Safety): string {
  const alarm = s.fastestAlarmSeconds !== undefined ? `, fastest alarm ${formatDuration(s.fastestAlarmSeconds)}` : "";
  return [
    `${s.alarms} alarm(s)${alarm}`,
    `rollback on ${s.rollbackEvents.length > 0 ? s.rollbackEvents.join(" + ") : "nothing"}`,
    s.testTraffic ? "test traffic first" : "no test traffic",
    `${s.hooks} hook(s)`,
    s.gradual ? `first increment served ${formatDuration(s.bakeSeconds)} before the rest` : "all at once",
  ].join("; ");
}

/** The verdict lines: ratio against the goal, and the safety side by side. */
export function comparisonText(c: Comparison): string {
  const verdict = c.meetsTimeGoal && c.equalOrBetterSafety ? "PASS" : "FAIL";
  return [
    `Time to 100% of production traffic (${c.project.environment.name} vs ${c.baseline.environment.name}): ` +
      `${formatDuration(c.project.fullTrafficAtSeconds)} vs ${formatDuration(c.baseline.fullTrafficAtSeconds)} ` +
      `= ${c.ratio.toFixed(3)}x (goal <= ${TARGET_RATIO}x at equal or better safety): ${verdict}`,
    `  safety, this project: ${safetyLine(c.projectSafety)}`,
    `  safety, workshop:     ${safetyLine(c.baselineSafety)}`,
  ].join("\n");
}

/** The comparison under each reading of the model. */
export function sensitivityTable(results: readonly { scenario: Scenario; comparison: Comparison }[]): string {
  return table(
    ["reading", "this project", "workshop", "ratio", "goal"],
    results.map(({ scenario, comparison: c }) => [
      scenario.name,
      formatDuration(c.project.fullTrafficAtSeconds),
      formatDuration(c.baseline.fullTrafficAtSeconds),
      `${c.ratio.toFixed(3)}x`,
      c.meetsTimeGoal && c.equalOrBetterSafety ? "pass" : "FAIL",
    ]),
  );
}
