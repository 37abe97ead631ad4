// Prints what search.js makes of stdin, for the Go test that compares the
// JavaScript tokeniser with the Go one: {"words": [...], "stop": [...]}.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const source = readFileSync(join(root, "themes/default/assets/js/search.js"), "utf8");
const search = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
const text = readFileSync(0, "utf8");
process.stdout.write(JSON.stringify({
  words: search.tokens(text).map((t) => t.word),
  stop: [...search.STOP_WORDS].sort(),
}));
