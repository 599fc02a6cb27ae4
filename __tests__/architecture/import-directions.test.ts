/**
 * The folders are the architecture: this test reads every import of the project's code and holds it against the
 * allowed directions below (the same table as docs/design.md, "The tree and its import rules"), and refuses
 * import circles. A new folder must be added here, with what it may import, before its files may import anything.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const SKIPPED_FOLDERS = new Set(["node_modules", "cdktf.out", ".gen", ".git", ".ci", "coverage"]);
const CODE = /\.(ts|mts|cts|mjs|cjs|js)$/;

/** Units from the most specific prefix to the least; a file belongs to the first unit whose prefix it starts with. */
const UNITS = [
  "config/paths.ts",
  "config/project-scope.ts",
  "config/",
  "synthesized/",
  "speed/",
  "constructs/assets/",
  "constructs/core/",
  "constructs/policy/",
  "constructs/identity/iam/",
  "constructs/state/",
  "constructs/identity/",
  "constructs/runtime/",
  "constructs/delivery/",
  "constructs/environment/",
  "constructs/github/",
  "stacks/",
  "main.ts",
  "ops/",
  "timeline/",
  "tools/",
  "app/",
  "__tests__/",
] as const;
type Unit = (typeof UNITS)[number];

/** What every construct folder may import: the building blocks, and the two config helpers that are facts, not config. */
const CONSTRUCT_BASE: Unit[] = ["constructs/core/", "constructs/policy/", "constructs/identity/iam/", "config/paths.ts", "config/project-scope.ts"];
/** What each unit may import besides itself. */
const ALLOWED: Record<Unit, readonly Unit[]> = {
  "config/paths.ts": [],
  "config/project-scope.ts": [],
  "config/": ["config/paths.ts", "config/project-scope.ts"],
  "synthesized/": [],
  // Speed tricks on library internals, behind one switch (speed/README.md).
  "speed/": [],
  "constructs/assets/": [],
  "constructs/core/": ["config/paths.ts"],
  "constructs/policy/": [],
  "constructs/identity/iam/": ["constructs/policy/"],
  "constructs/state/": [...CONSTRUCT_BASE],
  "constructs/identity/": [...CONSTRUCT_BASE, "constructs/state/"],
  "constructs/runtime/": [...CONSTRUCT_BASE, "synthesized/"],
  "constructs/delivery/": [...CONSTRUCT_BASE, "synthesized/", "constructs/state/", "constructs/runtime/", "constructs/assets/"],
  "constructs/environment/": [
    ...CONSTRUCT_BASE,
    "synthesized/",
    "constructs/state/",
    "constructs/identity/",
    "constructs/runtime/",
    "constructs/delivery/",
  ],
  "constructs/github/": [...CONSTRUCT_BASE, "constructs/identity/", "constructs/delivery/"],
  "stacks/": [
    "speed/",
    "config/",
    "config/paths.ts",
    "config/project-scope.ts",
    "synthesized/",
    ...CONSTRUCT_BASE,
    "constructs/state/",
    "constructs/identity/",
    "constructs/runtime/",
    "constructs/delivery/",
    "constructs/environment/",
    "constructs/github/",
  ],
  "main.ts": ["config/", "stacks/"],
  // Shipped tools: product code and the one reader of the synthesized output, never tools/ or __tests__/.
  "ops/": ["config/", "config/paths.ts", "config/project-scope.ts", "synthesized/", "constructs/assets/"],
  "timeline/": ["config/", "config/paths.ts", "config/project-scope.ts", "synthesized/", "stacks/"],
  // The project's own tools may use everything of the product, never the tests.
  "tools/": UNITS.filter((unit) => unit !== "__tests__/" && unit !== "tools/" && unit !== "app/"),
  // The sample application is deletable: it imports nothing of the project.
  "app/": [],
  "__tests__/": UNITS.filter((unit) => unit !== "__tests__/"),
};

function unitOf(file: string): Unit | undefined {
  return UNITS.find((unit) => (unit.endsWith("/") ? file.startsWith(unit) : file === unit));
}

function codeFiles(folder = ""): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : codeFiles(path);
    return CODE.test(entry.name) ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom|\bimport|\brequire|jest\.mock|requireActual)\s*\(?\s*["'](\.{1,2}(?:\/[^"']*)?)["']/g;
const EXTENSIONS = ["", ".ts", ".d.ts", ".js", ".mjs", ".cjs", "/index.ts", "/index.js"];

/** Relative imports that name no file of the project (a moved file's importer not updated). */
const unresolved: string[] = [];

/** Every relative import of every code file, resolved to a project file. */
function importGraph(): Map<string, string[]> {
  const files = codeFiles();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(join(ROOT, file), "utf8");
    const targets: string[] = [];
    for (const match of source.matchAll(SPECIFIER)) {
      const base = posix.normalize(posix.join(posix.dirname(file), match[1]));
      const target = EXTENSIONS.map((extension) => base + extension).find((candidate) => known.has(candidate));
      if (!target && !EXTENSIONS.some((extension) => existsSync(join(ROOT, base + extension)))) unresolved.push(`${file}: ${match[1]}`);
      if (target && target !== file) targets.push(target);
    }
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

const graph = importGraph();

describe("the tree's import directions", () => {
  test("every code file belongs to a unit of the table", () => {
    const unplaced = [...graph.keys()].filter((file) => !unitOf(file) && !/^[^/]+\.(c|m)?js$/.test(file));
    expect(unplaced).toEqual([]);
  });

  test("every relative import names a file that exists", () => {
    expect(unresolved).toEqual([]);
  });

  test("every import goes in an allowed direction", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = unitOf(file);
      if (!from) continue;
      for (const target of targets) {
        const to = unitOf(target);
        if (!to || to === from || ALLOWED[from].includes(to)) continue;
        wrong.push(`${file} (${from}) imports ${target} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("no file outside __tests__/ imports a test helper", () => {
    const intoTests = [...graph].flatMap(([file, targets]) =>
      file.startsWith("__tests__/") ? [] : targets.filter((target) => target.startsWith("__tests__/")).map((target) => `${file} -> ${target}`),
    );
    expect(intoTests).toEqual([]);
  });

  test("there are no import circles", () => {
    // Tarjan's strongly connected components over the product code (tests may import each other freely).
    const nodes = [...graph.keys()].filter((file) => !file.startsWith("__tests__/"));
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    let next = 0;
    const visit = (node: string): void => {
      index.set(node, next);
      low.set(node, next++);
      stack.push(node);
      onStack.add(node);
      for (const target of graph.get(node) ?? []) {
        if (target.startsWith("__tests__/")) continue;
        if (!index.has(target)) {
          visit(target);
          low.set(node, Math.min(low.get(node)!, low.get(target)!));
        } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1) circles.push(component.sort());
      }
    };
    for (const node of nodes) if (!index.has(node)) visit(node);
    expect(circles).toEqual([]);
  });

  test("the table names only folders and files that exist", () => {
    const files = [...graph.keys()];
    const empty = UNITS.filter((unit) => !files.some((file) => unitOf(file) === unit));
    expect(empty).toEqual([]);
    expect(relative(ROOT, dirname(__filename))).toBe(join("__tests__", "architecture"));
  });
});
