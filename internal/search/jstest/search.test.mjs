// Node tests of themes/default/assets/js/search.js: the shared test
// vectors, the ranking fixtures against the golden index written by the Go
// tests, and excerpts. Run: node --test internal/search/jstest/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, "..", "testdata");
const root = join(here, "..", "..", "..");
const source = readFileSync(join(root, "themes/default/assets/js/search.js"), "utf8");
const search = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));

function vectors(name) {
  return readFileSync(join(testdata, name), "utf8").split("\n")
    .filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.split("\t"));
}

test("Porter2 stems match the Snowball vocabulary", () => {
  const vs = vectors("porter2.tsv");
  assert.ok(vs.length >= 200, `only ${vs.length} vectors`);
  const bad = vs.filter(([w, s]) => search.stem(w) !== s).map(([w, s]) => `${w}: got ${search.stem(w)}, want ${s}`);
  assert.deepEqual(bad, []);
});

test("tokeniser vectors", () => {
  for (const [text, want] of vectors("tokenize.tsv")) {
    const got = search.tokens(text).map((t) => t.word);
    assert.deepEqual(got, want === "-" ? [] : want.split(" "), `tokens(${JSON.stringify(text)})`);
  }
});

test("token offsets cover the original text", () => {
  const text = "Café, R12 and don’t — naïve 🙂 x";
  const got = search.tokens(text).map((t) => text.slice(t.start, t.end));
  assert.deepEqual(got, ["Café", "R12", "and", "don’t", "naïve", "x"]);
});

test("terms: stop words, single letters, IDs and numbers", () => {
  assert.equal(search.term("the"), "");
  assert.equal(search.term("x"), "");
  assert.equal(search.term("3"), "3");
  assert.equal(search.term("r12"), "r12");
  assert.equal(search.term("partnerships"), "partnership");
});

test("parseQuery completes the last word unless the text ends with a space", () => {
  assert.deepEqual(search.parseQuery("housing debt"), { words: ["housing", "debt"], prefix: true });
  assert.deepEqual(search.parseQuery("housing debt "), { words: ["housing", "debt"], prefix: false });
  assert.deepEqual(search.parseQuery(""), { words: [], prefix: false });
});

// The golden index, read from disk as the browser would fetch it.
const indexDir = join(testdata, "index");
const metaName = readdirSync(indexDir).find((n) => n.startsWith("meta."));
function openIndex() {
  const fetched = [];
  const ix = new search.SearchIndex("/search/index/" + metaName, async (url) => {
    fetched.push(url);
    return JSON.parse(readFileSync(join(indexDir, url.replace("/search/index/", "")), "utf8"));
  });
  return { ix, fetched };
}

const fixtures = vectors("ranking.tsv").map(([q, f, url]) => ({
  text: q === "-" ? "" : q,
  filters: f === "-" ? {} : Object.fromEntries([...new URLSearchParams(f).keys()].map((k) => [k, new URLSearchParams(f).getAll(k)])),
  url,
}));

test("the best match ranks first for every ranking fixture", async () => {
  assert.ok(fixtures.length >= 20);
  const { ix } = openIndex();
  for (const fx of fixtures) {
    const res = await ix.search(fx);
    assert.ok(res.docs.length > 0, `${fx.text}: no results`);
    const first = await ix.fragment(res.docs[0]);
    assert.equal(first.url, fx.url, `${JSON.stringify(fx.text)} ${JSON.stringify(fx.filters)}`);
  }
});

test("results, scores and facet counts equal the Go engine's", async () => {
  const golden = JSON.parse(readFileSync(join(testdata, "ranking-results.json"), "utf8"));
  assert.equal(golden.length, fixtures.length);
  const { ix } = openIndex();
  for (const want of golden) {
    const res = await ix.search({ text: want.query, filters: want.filters || {} });
    const label = JSON.stringify(want.query) + " " + JSON.stringify(want.filters);
    assert.deepEqual(res.docs, want.docs, label + " docs");
    assert.deepEqual(res.scores, want.scores, label + " scores");
    assert.deepEqual(res.missing, want.missing, label + " missing");
    assert.equal(res.partial, want.partial, label + " partial");
    assert.deepEqual(res.counts, want.counts, label + " counts");
  }
});

test("a query fetches the metadata and only its shards; facets when counted", async () => {
  const { ix, fetched } = openIndex();
  const meta = JSON.parse(readFileSync(join(indexDir, metaName), "utf8"));
  assert.ok(meta.shardFiles.length >= 3);
  const res = await ix.search({ text: "consent " }, false);
  assert.equal(res.docs.length, 1);
  assert.equal(res.counts, null);
  const shards = fetched.filter((u) => u.includes("/shard/"));
  assert.equal(shards.length, 1, `fetched ${shards}`);
  assert.ok(!fetched.some((u) => u.includes("/facets.")), "no counts asked for, no facet file");
  assert.ok(!fetched.some((u) => u.includes("/page/")), "fragments load only for shown results");
  await ix.search({ text: "consent " }, true);
  assert.ok(fetched.some((u) => u.includes("/facets.")));
  const before = fetched.length;
  await ix.search({ text: "", filters: { kind: ["finding"] } }, false);
  assert.equal(fetched.length, before, "shards and facets are fetched once");
});

test("facet page sets: gaps and runs", () => {
  assert.deepEqual(search.decodeDocSet("~04"), [0, 1, 2, 3, 4]);
  assert.deepEqual(search.decodeDocSet("~0442"), [0, 1, 2, 3, 4, 9, 10, 11]);
  assert.deepEqual(search.decodeDocSet("~2021"), [2, 5, 6]);
  assert.deepEqual(search.decodeDocSet("010"), [0, 2, 3]);
});

test("excerpts highlight matched words around the best passage", async () => {
  const { ix } = openIndex();
  const res = await ix.search({ text: "data protection" });
  const frag = await ix.fragment(res.docs[0]);
  const ex = search.excerpt(frag, res.terms);
  assert.equal(ex.anchor, "data-protection");
  const marks = ex.parts.filter((p) => p.mark).map((p) => p.text);
  assert.ok(marks.includes("Data") && marks.includes("protection"), JSON.stringify(ex.parts));
  const title = search.marked(frag.title, res.terms);
  assert.deepEqual(title, [{ text: "Information sharing and consent", mark: false }]);
});

test("prefix matching completes the word being typed", async () => {
  const { ix } = openIndex();
  const res = await ix.search({ text: "housin" });
  assert.ok(res.terms.has("hous"), [...res.terms].join(","));
  const done = await ix.search({ text: "housin " });
  assert.equal(done.docs.length, 0);
});
