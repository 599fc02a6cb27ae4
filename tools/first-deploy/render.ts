/**
 * The first deploy (./steps.ts) as the three copies show it: a Markdown section for README.md and
 * docs/operations.md, plain text for `help`. `npm run docs` writes them between their markers; a test checks they
 * are current.
 */
import { FIRST_DEPLOY_STEPS, FirstDeployStep, REPOSITORY_LAYOUTS } from "./steps";

export const MARKDOWN_START = "<!-- first-deploy:start (generated from tools/first-deploy/steps.ts by `npm run docs`: edit it there) -->";
export const MARKDOWN_END = "<!-- first-deploy:end -->";
export const HELP_START = "    Order of a first deploy (README, First deploy: the same steps in detail):";
export const HELP_END = "    (end of the first deploy)";

function markdownStep(step: FirstDeployStep, index: number): string[] {
  const marker = `${index + 1}. `;
  // Continuation lines line up with the item's text, or a two-digit item's code block would end the list.
  const indent = " ".repeat(marker.length);
  const lines = [`${marker}**${step.title}**, by ${step.who}: ${step.what}`];
  if (step.commands.length > 0) lines.push("", `${indent}\`\`\`sh`, ...step.commands.map((c) => `${indent}${c}`), `${indent}\`\`\``);
  lines.push("", `${indent}*When it fails:* ${step.whenItFails}`);
  return lines;
}

/** The section between the Markdown markers (markers included). */
export function firstDeployMarkdown(): string {
  const { columns, rows } = REPOSITORY_LAYOUTS;
  return [
    MARKDOWN_START,
    "Two repository layouts are supported; every step below is the same for both.",
    "",
    `| ${columns.join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    ...FIRST_DEPLOY_STEPS.flatMap((step, i) => [...markdownStep(step, i), ""]),
    MARKDOWN_END,
  ].join("\n");
}

/** The lines of `help` between its markers (markers included). */
export function firstDeployHelp(): string {
  return [
    HELP_START,
    ...FIRST_DEPLOY_STEPS.flatMap((step, i) => {
      const head = `      ${String(i + 1).padStart(2)}. ${step.title.padEnd(22)} ${step.who}`;
      return [head, ...step.commands.map((c) => `            ${c}`)];
    }),
    HELP_END,
  ].join("\n");
}

/** `text` with the part from `start` to `end` (both lines included) replaced; throws when a marker is missing. */
export function replaceBetween(text: string, start: string, end: string, replacement: string, file: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`${file}: the markers "${start}" and "${end}" are missing`);
  return text.slice(0, from) + replacement + text.slice(to + end.length);
}

/** The three files' generated sections, by path relative to the project root. */
export const TARGETS = [
  { file: "README.md", start: MARKDOWN_START, end: MARKDOWN_END, render: firstDeployMarkdown },
  { file: "docs/operations.md", start: MARKDOWN_START, end: MARKDOWN_END, render: firstDeployMarkdown },
  { file: "help", start: HELP_START, end: HELP_END, render: firstDeployHelp },
] as const;
