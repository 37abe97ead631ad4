// Runs queries against an index folder with search.js and prints the
// results as JSON, for the Go test that compares them with the Go engine.
//   node query.mjs INDEX-DIR META-FILE < queries.json
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const source = readFileSync(join(root, "themes/default/assets/js/search.js"), "utf8");
const search = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
const [dir, meta] = process.argv.slice(2);
const ix = new search.SearchIndex("/search/index/" + meta, async (url) =>
  JSON.parse(readFileSync(join(dir, url.replace("/search/index/", "")), "utf8")));
const out = [];
for (const q of JSON.parse(readFileSync(0, "utf8"))) {
  const r = await ix.search({ text: q.query, filters: q.filters || {} }, true);
  out.push({ docs: r.docs, scores: r.scores, missing: r.missing, partial: r.partial, counts: r.counts });
}
process.stdout.write(JSON.stringify(out));
