#!/usr/bin/env node
// `bluegreen` (package.json bin, `npx bluegreen`, `npm run ops --`): runs ops/main.ts through tsx's CommonJS
// loader, which transpiles without type-checking (that is `npm run typecheck`) and caches what it compiled.
import { createRequire } from "node:module";
import { register } from "tsx/cjs/api";

register();
createRequire(import.meta.url)("./main.ts");
