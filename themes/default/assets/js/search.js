// hjp search: results as you type on /search/, from the index that
// internal/search writes at build time. No framework, no inline styles.
// The tokeniser, stemmer and query rules mirror internal/search (Go); the
// shared test vectors in internal/search/testdata keep the two in step.
// Without this file the search form still submits and the page points to
// the findings index and the site map.

// ---- Tokeniser ---------------------------------------------------------

const MAX_WORD = 40;
const LETTER_DIGIT = /[\p{L}\p{Nd}]/u;
const MARK = /\p{M}/u;
const DIGIT = /\p{Nd}/u;

// FOLD maps accented Latin letters to ASCII, as internal/slug does.
const FOLD = (() => {
  const m = new Map();
  const groups = [
    ["a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄą"], ["c", "ÇçĆćĈĉĊċČč"], ["d", "ĎďĐđÐð"],
    ["e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚě"], ["g", "ĜĝĞğĠġĢģ"], ["h", "ĤĥĦħ"],
    ["i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı"], ["j", "Ĵĵ"], ["k", "Ķķĸ"], ["l", "ĹĺĻļĽľĿŀŁł"],
    ["n", "ÑñŃńŅņŇňŉ"], ["o", "ÒÓÔÕÖØòóôõöøŌōŎŏŐő"], ["r", "ŔŕŖŗŘř"],
    ["s", "ŚśŜŝŞşŠšſ"], ["t", "ŢţŤťŦŧ"], ["u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų"],
    ["w", "Ŵŵ"], ["y", "ÝýÿŶŷŸ"], ["z", "ŹźŻżŽž"], ["ae", "ÆæǼǽ"], ["oe", "Œœ"],
    ["ss", "ß"], ["th", "Þþ"], ["ij", "Ĳĳ"],
  ];
  for (const [to, from] of groups) for (const ch of from) m.set(ch.codePointAt(0), to);
  return m;
})();

// fold returns the lower-case, accent-folded form of one code point.
export function fold(cp) {
  if (cp < 128) return String.fromCharCode(cp >= 65 && cp <= 90 ? cp + 32 : cp);
  const f = FOLD.get(cp);
  if (f !== undefined) return f;
  const ch = String.fromCodePoint(cp);
  const lower = ch.toLowerCase();
  // Go lowers one code point to one code point; keep the letter when
  // JavaScript's full case mapping would expand it.
  if ([...lower].length !== 1) return ch;
  // The lowered letter folds on, as in Go: "ẞ" lowers to "ß", the
  // Ångström sign to "å".
  const g = FOLD.get(lower.codePointAt(0));
  return g === undefined ? lower : g;
}

// foldedLength is the number of code points fold(cp) returns: words are
// limited to MAX_WORD once folded ("œ" counts two, "oe"), as in Go.
function foldedLength(cp) {
  const f = FOLD.get(cp);
  return f === undefined ? [...fold(cp)].length : f.length;
}

function isWordChar(cp, ch) {
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
  return LETTER_DIGIT.test(ch);
}

// foldWord builds the folded form of text[start:end], a word that holds
// characters outside ASCII: marks and apostrophes are dropped.
function foldWord(text, start, end) {
  let buf = "";
  for (let i = start; i < end;) {
    const cp = text.codePointAt(i);
    const n = cp > 0xffff ? 2 : 1;
    if (isWordChar(cp, n === 1 ? text[i] : text.slice(i, i + 2))) buf += fold(cp);
    i += n;
  }
  return buf;
}

// tokens splits text into words: runs of letters, digits and combining
// marks, apostrophes inside words dropped, folded. Offsets are UTF-16.
// Words of plain ASCII, nearly all of them, are cut out of the text whole.
export function tokens(text) {
  const out = [];
  let start = -1, runes = 0, plain = true, apostrophe = false;
  const flush = (end) => {
    if (start >= 0 && runes > 0 && runes <= MAX_WORD) {
      let word;
      if (plain) {
        word = text.slice(start, end);
        if (apostrophe) word = word.replaceAll("'", "");
        word = word.toLowerCase();
      } else {
        word = foldWord(text, start, end);
      }
      out.push({ word, start, end });
    }
    start = -1; runes = 0; plain = true; apostrophe = false;
  };
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) {
        if (start < 0) start = i;
        runes++;
      } else if (c === 0x27) {
        apostrophe = true; // dropped inside a word
      } else {
        flush(i);
      }
      i++;
      continue;
    }
    const cp = text.codePointAt(i);
    const n = cp > 0xffff ? 2 : 1;
    const ch = n === 1 ? text[i] : text.slice(i, i + 2);
    if (isWordChar(cp, ch)) {
      if (start < 0) start = i;
      plain = false;
      runes += foldedLength(cp);
    } else if (cp === 0x2019 || cp === 0x2018) {
      plain = false; // dropped inside a word
    } else if (MARK.test(ch)) {
      if (start < 0) start = i;
      plain = false;
    } else {
      flush(i);
    }
    i += n;
  }
  flush(text.length);
  return out;
}

// STOP_WORDS are the English function words the index leaves out.
export const STOP_WORDS = new Set(("a about after all also an and any are as at be been being both but by " +
  "can could did do does each for from had has have he her here hers him his how i if in into is it its " +
  "itself me my of on or our ours she should so such than that the their theirs them then there these they " +
  "this those to too us very was we were what when where which while who whom why will with would you " +
  "your yours").split(" "));

const hasDigit = (w) => DIGIT.test(w);

// term returns the index term of a folded word, or "" for stop words and
// single letters.
export function term(word) {
  if ([...word].length === 1 && !DIGIT.test(word)) return "";
  if (STOP_WORDS.has(word)) return "";
  return hasDigit(word) ? word : stem(word);
}

// termOf returns the term of a word without the stop-word check. Results
// stem every word of their excerpts, so stems are remembered.
const stems = new Map();
export function termOf(word) {
  let t = stems.get(word);
  if (t === undefined) {
    t = hasDigit(word) ? word : stem(word);
    if (stems.size > 50000) stems.clear();
    stems.set(word, t);
  }
  return t;
}

// ---- Porter2 (Snowball English) stemmer -------------------------------

const EXCEPTIONS = new Map(Object.entries({
  skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli",
  singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias",
  andes: "andes",
}));
const PREFIXES = ["gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ"];
const STEP2 = {
  tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
  ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
  ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogist: "og",
  ogi: "og", fulli: "ful", lessli: "less", li: "",
};
const STEP3 = {
  tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "",
  ative: "",
};
const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism",
  "ate", "iti", "ous", "ive", "ize", "ion"];
const VALID_LI = "cdeghkmnrt";

const isVowel = (c) => c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";

// stem returns the Porter2 stem of a lower-case word, working on code
// points exactly as internal/search.Stem does.
export function stem(word) {
  const ex = EXCEPTIONS.get(word);
  if (ex !== undefined) return ex;
  let w = Array.from(word);
  if (w.length < 3) return word;

  const ends = (suf) => {
    if (suf.length > w.length) return false;
    for (let i = 0, off = w.length - suf.length; i < suf.length; i++) if (w[off + i] !== suf[i]) return false;
    return true;
  };
  const longest = (sufs) => {
    let best = "";
    for (const s of sufs) if (s.length > best.length && ends(s)) best = s;
    return best;
  };
  const replace = (suf, by) => { w = w.slice(0, w.length - suf.length).concat(Array.from(by)); };
  const hasVowel = (end) => { for (let i = 0; i < end; i++) if (isVowel(w[i])) return true; return false; };
  const afterVC = (from) => {
    let i = from;
    while (i < w.length && !isVowel(w[i])) i++;
    while (i < w.length && isVowel(w[i])) i++;
    return i >= w.length ? w.length : i + 1;
  };
  const shortAt = (end) => {
    if (end >= 3 && !isVowel(w[end - 1]) && isVowel(w[end - 2]) && !isVowel(w[end - 3])) {
      const c = w[end - 1];
      if (c !== "w" && c !== "x" && c !== "Y") return true;
    }
    if (end === 2 && !isVowel(w[1]) && isVowel(w[0])) return true;
    return end >= 4 && w.slice(end - 4, end).join("") === "past";
  };

  // Prelude: drop a leading apostrophe; mark consonant y as Y.
  if (w[0] === "'") w = w.slice(1);
  if (w[0] === "y") w[0] = "Y";
  for (let i = 1; i < w.length; i++) if (w[i] === "y" && isVowel(w[i - 1])) w[i] = "Y";

  // Regions.
  let p1 = -1;
  for (const p of PREFIXES) if (w.length >= p.length && w.slice(0, p.length).join("") === p) { p1 = p.length; break; }
  if (p1 < 0) p1 = afterVC(0);
  const p2 = afterVC(p1);

  // Step 1a.
  let suf = longest(["'", "'s", "'s'"]);
  if (suf) replace(suf, "");
  suf = longest(["sses", "ied", "ies", "s", "us", "ss"]);
  if (suf === "sses") replace(suf, "ss");
  else if (suf === "ied" || suf === "ies") replace(suf, w.length - suf.length >= 2 ? "i" : "ie");
  else if (suf === "s" && w.length >= 2 && hasVowel(w.length - 2)) replace(suf, "");

  // Step 1b.
  step1b: {
    suf = longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    const start = w.length - suf.length;
    if (suf === "") break step1b;
    if (suf === "eed" || suf === "eedly") {
      const before = w.slice(0, start).join("");
      if (before !== "proc" && before !== "exc" && before !== "succ" && start >= p1) replace(suf, "ee");
      break step1b;
    }
    if (suf === "ing") {
      const before = w.slice(0, start);
      if (before.length === 2 && before[1] === "y" && !isVowel(before[0])) { w = [before[0], "i", "e"]; break step1b; }
      const b = before.join("");
      if (b === "inn" || b === "out" || b === "cann" || b === "herr" || b === "earr" || b === "even") break step1b;
    }
    if (!hasVowel(start)) break step1b;
    w = w.slice(0, start);
    const n = w.length;
    if (ends("at") || ends("bl") || ends("iz")) w.push("e");
    else if (n >= 2 && w[n - 1] === w[n - 2] && "bdfgmnprt".includes(w[n - 1])) {
      if (!(n === 3 && (w[0] === "a" || w[0] === "e" || w[0] === "o"))) w.pop();
    } else if (n === p1 && shortAt(n)) w.push("e");
  }

  // Step 1c.
  {
    const n = w.length;
    if (n >= 3 && (w[n - 1] === "y" || w[n - 1] === "Y") && !isVowel(w[n - 2])) w[n - 1] = "i";
  }

  // Step 2.
  suf = longest(Object.keys(STEP2));
  if (suf && w.length - suf.length >= p1) {
    const s = w.length - suf.length;
    const ok = suf === "ogi" ? s > 0 && w[s - 1] === "l" : suf === "li" ? s > 0 && VALID_LI.includes(w[s - 1]) : true;
    if (ok) replace(suf, STEP2[suf]);
  }

  // Step 3.
  suf = longest(Object.keys(STEP3));
  if (suf && w.length - suf.length >= p1 && !(suf === "ative" && w.length - suf.length < p2)) replace(suf, STEP3[suf]);

  // Step 4.
  suf = longest(STEP4);
  if (suf && w.length - suf.length >= p2) {
    const s = w.length - suf.length;
    if (suf !== "ion" || (s > 0 && (w[s - 1] === "s" || w[s - 1] === "t"))) replace(suf, "");
  }

  // Step 5.
  {
    const n = w.length;
    if (ends("e")) {
      if (n - 1 >= p2 || (n - 1 >= p1 && !shortAt(n - 1))) w.pop();
    } else if (ends("l")) {
      if (n - 1 >= p2 && n >= 2 && w[n - 2] === "l") w.pop();
    }
  }
  return w.join("").replaceAll("Y", "y");
}

// ---- Index files -------------------------------------------------------

const FORMAT_VERSION = 1;
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
// DIGIT_VALUE maps a character code of DIGITS to its value.
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;

// readNumber reads one base-32 number of the index's compact encoding at
// s[at.i], least significant digit first, and moves at.i past it.
function readNumber(s, at) {
  let n = 0, shift = 0, v;
  do {
    v = DIGIT_VALUE[s.charCodeAt(at.i++)];
    n += (v & 31) * 2 ** shift;
    shift += 5;
  } while (v >= 32);
  return n;
}

// decodeDocs reads the compact page lists of the index: gaps in base 32,
// each followed by one digit of score when withScores.
export function decodeDocs(s, withScores) {
  // Each page takes at least one character, two with a score.
  const most = withScores ? s.length >> 1 : s.length;
  const docs = new Int32Array(most), q = new Uint8Array(withScores ? most : 0);
  let prev = -1, n = 0;
  for (const at = { i: 0 }; at.i < s.length; n++) {
    prev += readNumber(s, at) + 1;
    docs[n] = prev;
    if (withScores) q[n] = DIGIT_VALUE[s.charCodeAt(at.i++)];
  }
  return { docs: docs.subarray(0, n), q: q.subarray(0, withScores ? n : 0) };
}

// quantStep is the resolution of a term's scores (internal/search.QuantStep).
const quantStep = (idf) => Math.min(63, Math.max(1, Math.floor(250 / Math.max(idf, 1))));

// decodeDocSet reads a facet value's pages: gaps, or after "~" runs of
// consecutive pages (internal/search appendDocSet).
export function decodeDocSet(s) {
  if (!s.startsWith("~")) return Array.from(decodeDocs(s, false).docs);
  const nums = [];
  for (const at = { i: 1 }; at.i < s.length;) nums.push(readNumber(s, at));
  const docs = [];
  let prev = -1;
  for (let i = 0; i + 1 < nums.length; i += 2) {
    const first = prev + nums[i] + 1;
    for (let d = first; d <= first + nums[i + 1]; d++) docs.push(d);
    prev = first + nums[i + 1];
  }
  return docs;
}

// Query rules shared with internal/search (query.go).
const EXACT_WEIGHT = 10, PREFIX_WEIGHT = 7, MIN_PREFIX = 3, MAX_EXPANSIONS = 30, MAX_PREFIX_SHARDS = 4;

// parseQuery splits query text into words; the last is completed as a
// prefix unless the text ends with a space or punctuation.
export function parseQuery(text) {
  const words = tokens(text).map((t) => t.word);
  let prefix = false;
  if (words.length > 0) {
    const last = Array.from(text).pop();
    prefix = LETTER_DIGIT.test(last) || MARK.test(last);
  }
  return { words, prefix };
}

const runeLength = (s) => Array.from(s).length;

// SearchIndex answers queries from the index files. fetchJSON(url)
// returns the parsed file; the browser passes a fetch wrapper, tests a
// file reader.
export class SearchIndex {
  constructor(metaURL, fetchJSON) {
    this.metaURL = metaURL;
    this.fetchJSON = fetchJSON;
    this.shards = new Map();
    this.meta = null;
  }

  url(rel) { return new URL(rel, new URL(this.metaURL, "http://x/")).href.replace(/^http:\/\/x/, ""); }

  async load() {
    if (!this.meta) {
      this.meta = this.fetchJSON(this.metaURL).then((m) => {
        if (m.version !== FORMAT_VERSION) throw new Error(`search index format ${m.version}, expected ${FORMAT_VERSION}`);
        return m;
      });
    }
    return this.meta;
  }

  // facetData loads the facets and, per facet, each page's value indexes.
  facetData() {
    if (!this.facets) {
      this.facets = this.load().then(async (meta) => {
        const file = await this.fetchJSON(this.url(meta.facets));
        const perDoc = file.facets.map((f) => {
          const per = Array.from({ length: meta.docs }, () => []);
          f.values.forEach((v, i) => { for (const d of decodeDocSet(v.docs)) per[d].push(i); });
          return per;
        });
        return { facets: file.facets, perDoc };
      });
    }
    return this.facets;
  }

  shard(i) {
    const meta = this.loaded;
    const file = meta.shardFiles[i];
    if (!this.shards.has(file)) {
      this.shards.set(file, this.fetchJSON(this.url("./" + file)).then((s) => {
        s.index = new Map(s.terms.map((t, j) => [t, j]));
        s.decoded = new Map();
        s.from = i;
        return s;
      }));
    }
    return this.shards.get(file);
  }

  // entry returns {term, idf, docs, q} for term j of a loaded shard.
  static entry(s, j) {
    let e = s.decoded.get(j);
    if (!e) {
      const { docs, q } = decodeDocs(s.postings[j], true);
      e = { term: s.terms[j], idf: s.idf[j], docs, q };
      s.decoded.set(j, e);
    }
    return e;
  }

  shardOf(t) {
    const from = this.loaded.shardFrom;
    let lo = 0, hi = from.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (from[mid] < t) lo = mid + 1; else hi = mid;
    }
    if (lo < from.length && from[lo] === t) return lo;
    return Math.max(lo - 1, 0);
  }

  // plan lists the shards a word needs.
  plan(word, last, need) {
    const t = term(word);
    if (t) need.add(this.shardOf(t));
    if (!last || runeLength(word) < MIN_PREFIX) return;
    const from = this.loaded.shardFrom;
    const first = this.shardOf(word);
    for (let s = first; s < from.length && s < first + MAX_PREFIX_SHARDS; s++) {
      if (s > first && !from[s].startsWith(word)) break;
      need.add(s);
    }
    const runes = Array.from(word);
    for (let n = runes.length - 1; n >= Math.max(MIN_PREFIX, runes.length - 2); n--) need.add(this.shardOf(runes.slice(0, n).join("")));
  }

  async lookup(word, last) {
    const group = [];
    const t = term(word);
    const find = async (x) => {
      const s = await this.shard(this.shardOf(x));
      const j = s.index.get(x);
      return j === undefined ? null : SearchIndex.entry(s, j);
    };
    if (t) {
      const e = await find(t);
      if (e) group.push({ e, weight: EXACT_WEIGHT });
    }
    if (!last || runeLength(word) < MIN_PREFIX) return { word, group, last };
    const seen = new Set([t]);
    const cands = [];
    const from = this.loaded.shardFrom;
    const first = this.shardOf(word);
    for (let s = first; s < from.length && s < first + MAX_PREFIX_SHARDS; s++) {
      if (s > first && !from[s].startsWith(word)) break;
      const sh = await this.shard(s);
      sh.terms.forEach((x, j) => {
        if (x.startsWith(word) && !seen.has(x)) { seen.add(x); cands.push({ sh, j }); }
      });
    }
    const runes = Array.from(word);
    for (let n = runes.length - 1; n >= Math.max(MIN_PREFIX, runes.length - 2); n--) {
      const x = runes.slice(0, n).join("");
      if (seen.has(x)) continue;
      const sh = await this.shard(this.shardOf(x));
      const j = sh.index.get(x);
      if (j !== undefined) { seen.add(x); cands.push({ sh, j }); }
    }
    // Most frequent completions first: a lower idf means more pages.
    cands.sort((a, b) => a.sh.idf[a.j] - b.sh.idf[b.j] || (a.sh.terms[a.j] < b.sh.terms[b.j] ? -1 : 1));
    for (const c of cands.slice(0, MAX_EXPANSIONS)) group.push({ e: SearchIndex.entry(c.sh, c.j), weight: PREFIX_WEIGHT });
    return { word, group, last };
  }

  // search runs a query: {text, filters: {facet: [keys]}}. It returns
  // {docs, scores, counts, missing, partial, terms} like Index.Search.
  // The facet file is fetched only when filters are set or withCounts is
  // true (the page shows counts only once a filter group is opened), so a
  // plain query downloads just the metadata, its shards and the results.
  // prefetch starts fetching the shards text will need, so that they are
  // on their way while the reader is still typing.
  async prefetch(text) {
    this.loaded = await this.load();
    const { words, prefix } = parseQuery(text);
    const need = new Set();
    words.forEach((w, i) => this.plan(w, prefix && i === words.length - 1, need));
    for (const s of need) this.shard(s).catch(() => {});
  }

  async search({ text = "", filters = {} }, withCounts = true) {
    const meta = await this.load();
    this.loaded = meta;
    const { words, prefix } = parseQuery(text);
    const need = new Set();
    words.forEach((w, i) => this.plan(w, prefix && i === words.length - 1, need));
    const filtered = Object.values(filters).some((v) => v && v.length > 0);
    const facetsReady = filtered || withCounts ? this.facetData() : null;
    const fetchStart = performance.now();
    await Promise.all([...need].map((s) => this.shard(s)));
    performance.measure("hjp-search-shards", { start: fetchStart, end: performance.now(), detail: text });
    const res = { docs: [], scores: [], counts: {}, missing: [], partial: false, terms: new Set() };
    const active = [];
    for (let i = 0; i < words.length; i++) {
      const qw = await this.lookup(words[i], prefix && i === words.length - 1);
      if (qw.group.length > 0) {
        active.push(qw.group);
        for (const g of qw.group) res.terms.add(g.e.term);
      } else if (term(qw.word) && (!qw.last || runeLength(qw.word) >= MIN_PREFIX)) {
        res.missing.push(qw.word);
      }
    }
    let docs = [], scores = new Float64Array(meta.docs);
    if (active.length > 0) {
      [docs, scores] = combine(active, true, meta.docs);
      if (docs.length === 0 && active.length > 1) {
        [docs, scores] = combine(active, false, meta.docs);
        res.partial = true;
      }
    } else if (res.missing.length === 0 && filtered) {
      docs = Array.from({ length: meta.docs }, (_, i) => i);
    }
    let kept = docs;
    if (facetsReady) {
      const { facets, perDoc } = await facetsReady;
      kept = facetCounts(facets, perDoc, docs, filters, res.counts);
      res.facets = facets;
    } else {
      res.counts = null;
    }
    // Best first, then in page order: one key per page, sorted natively.
    const n = meta.docs, keys = new Float64Array(kept.length);
    for (let i = 0; i < kept.length; i++) keys[i] = -scores[kept[i]] * n + kept[i];
    keys.sort();
    res.docs = Array.from(keys, (k) => k - Math.floor(k / n) * n);
    res.scores = res.docs.map((d) => scores[d]);
    return res;
  }

  // fragment loads what a result shows of page d, once: as a query is
  // typed, the same pages keep coming back.
  fragment(d) {
    this.frags ||= new Map();
    let f = this.frags.get(d);
    if (!f) {
      const meta = this.loaded;
      const hash = meta.pageHashes[Math.floor(d / meta.pageBlock)];
      f = this.fetchJSON(this.url(`page/${d}.${hash}.json`));
      if (this.frags.size >= 500) this.frags.clear();
      this.frags.set(d, f);
      f.catch(() => this.frags.delete(d));
    }
    return f;
  }
}

// combine scores pages against the words' groups (internal/search
// combine): a page's score for a group is its best weighted term score
// there, and its total the sum over groups. Typed arrays indexed by page
// keep this to a few milliseconds at 10,000 pages.
function combine(groups, all, n) {
  const scores = new Float64Array(n), hits = new Uint16Array(n), best = new Float64Array(n);
  const mark = new Int32Array(n); // which group last saw each page
  const touched = [];
  groups.forEach((g, gi) => {
    const seen = [];
    for (const { e, weight } of g) {
      const unit = weight * e.idf * quantStep(e.idf);
      const { docs, q } = e;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i], sc = unit * q[i];
        if (mark[d] !== gi + 1) {
          mark[d] = gi + 1;
          best[d] = sc;
          seen.push(d);
        } else if (sc > best[d]) best[d] = sc;
      }
    }
    for (const d of seen) {
      if (hits[d] === 0) touched.push(d);
      scores[d] += best[d];
      hits[d]++;
    }
  });
  const docs = [];
  for (const d of touched) if (!all || hits[d] === groups.length) docs.push(d);
  return [docs, scores];
}

// facetCounts filters docs and fills counts[facet][value]; a facet's
// counts ignore its own selection.
function facetCounts(facets, perDoc, docs, filters, counts) {
  const sel = facets.map((f) => {
    const keys = filters[f.name];
    return keys && keys.length ? f.values.map((v) => keys.includes(v.key)) : null;
  });
  const counted = facets.map((f) => new Array(f.values.length).fill(0));
  const kept = [];
  for (const d of docs) {
    let failed = -1, fails = 0;
    for (let f = 0; f < facets.length; f++) {
      if (sel[f] && !perDoc[f][d].some((v) => sel[f][v])) { failed = f; fails++; }
    }
    if (fails === 0) kept.push(d);
    for (let f = 0; f < facets.length; f++) {
      if (fails === 0 || (fails === 1 && failed === f)) for (const v of perDoc[f][d]) counted[f][v]++;
    }
  }
  facets.forEach((f, i) => {
    counts[f.name] = {};
    f.values.forEach((v, j) => { counts[f.name][v.key] = counted[i][j]; });
  });
  return kept;
}

// ---- Excerpts ----------------------------------------------------------

const WINDOW = 28;

// matcher returns a test of whether a word's term is one of terms. A stem
// begins with the first two letters of its word (or is shorter), so most
// words are ruled out without stemming them.
function matcher(terms) {
  const heads = new Set([...terms].map((t) => t.slice(0, 2)));
  return (word) => (heads.has(word.slice(0, 2)) || heads.has(word.slice(0, 1))) && terms.has(termOf(word));
}

// marked splits text into [{text, mark}] parts, marking words whose term
// the query matched.
export function marked(text, terms, matches = matcher(terms)) {
  const parts = [];
  let at = 0;
  for (const t of tokens(text)) {
    if (!matches(t.word)) continue;
    if (t.start > at) parts.push({ text: text.slice(at, t.start), mark: false });
    parts.push({ text: text.slice(t.start, t.end), mark: true });
    at = t.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts;
}

// excerpt picks the passage of a page that holds the most matched terms:
// {anchor, parts}. Without a match it shows the summary.
export function excerpt(frag, terms) {
  let best = null;
  const matches = matcher(terms);
  const consider = (anchor, text) => {
    const toks = tokens(text);
    const hit = toks.map((t) => matches(t.word));
    const term = toks.map((t, i) => (hit[i] ? termOf(t.word) : ""));
    for (let i = 0; i < toks.length; i++) {
      if (!hit[i]) continue;
      const end = Math.min(i + WINDOW, toks.length);
      const distinct = new Set();
      let total = 0;
      for (let j = i; j < end; j++) if (hit[j]) { distinct.add(term[j]); total++; }
      const score = distinct.size * 1000 + total;
      if (!best || score > best.score) {
        const from = Math.max(0, i - 6);
        const to = Math.min(toks.length, from + WINDOW);
        best = { score, anchor, text, start: from === 0 ? 0 : toks[from].start, end: to === toks.length ? text.length : toks[to - 1].end };
      }
    }
  };
  if (frag.summary) consider("", frag.summary);
  for (const [anchor, , text] of frag.sections || []) consider(anchor, text);
  if (!best) return { anchor: "", parts: [{ text: frag.summary || "", mark: false }] };
  const parts = marked(best.text.slice(best.start, best.end), terms, matches);
  if (best.start > 0) parts.unshift({ text: "… ", mark: false });
  if (best.end < best.text.length) parts.push({ text: " …", mark: false });
  return { anchor: best.anchor, parts };
}

// ---- Page --------------------------------------------------------------

const PAGE_SIZE = 10;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function appendParts(parent, parts) {
  for (const p of parts) parent.append(p.mark ? el("mark", {}, p.text) : p.text);
}

function readState(form) {
  const params = new URLSearchParams(location.search);
  return {
    text: params.get("q") || "",
    filters: Object.fromEntries([...form.querySelectorAll("fieldset[data-facet]")].map((f) => [f.dataset.facet, params.getAll(f.dataset.facet)])),
  };
}

function stateURL(state) {
  const params = new URLSearchParams();
  if (state.text) params.set("q", state.text);
  for (const [name, keys] of Object.entries(state.filters)) for (const k of keys) params.append(name, k);
  const qs = params.toString();
  return location.pathname + (qs ? "?" + qs : "");
}

function init(form) {
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const filters = form.querySelector(".search-filters");
  const more = el("button", { type: "button", class: "search-more", hidden: "" }, "Show more results");
  list.after(more);
  for (const n of document.querySelectorAll(".search-nojs")) n.hidden = true;
  filters.hidden = false;

  const index = new SearchIndex(form.dataset.searchIndex, async (url) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return r.json();
  });
  let seq = 0, shown = 0, current = null;
  // The title names the query, so history and tabs tell searches apart.
  const pageTitle = document.title;
  // Counts need the facet file: fetch it once a filter group is opened.
  let wantCounts = false;
  const totals = new Map([...form.querySelectorAll(".search-count")].map((c) => [c, c.textContent]));
  index.load().catch(() => {});

  const state = () => ({
    text: input.value,
    filters: Object.fromEntries([...form.querySelectorAll("fieldset[data-facet]")].map((f) =>
      [f.dataset.facet, [...f.querySelectorAll("input:checked")].map((c) => c.value)])),
  });
  // apply puts a state into the form and returns the state the form now
  // shows: filter values the page has no box for are dropped.
  const apply = (s) => {
    input.value = s.text;
    for (const f of form.querySelectorAll("fieldset[data-facet]")) {
      const keys = s.filters[f.dataset.facet] || [];
      let any = false;
      for (const c of f.querySelectorAll("input")) {
        c.checked = keys.includes(c.value);
        any = any || c.checked;
      }
      if (any) f.closest("details").open = true;
    }
    return state();
  };

  // showMore renders the next page of results once their fragments have
  // loaded, replacing the list for a new search, unless a newer search
  // started meanwhile. It returns whether it rendered.
  async function showMore(res, mine, replace, focusFirst) {
    const from = replace ? 0 : shown;
    const batch = res.docs.slice(from, from + PAGE_SIZE);
    const frags = await Promise.all(batch.map((d) => index.fragment(d)));
    if (mine !== seq) return false;
    const items = frags.map((f) => {
      const ex = excerpt(f, res.terms);
      const link = el("a", { href: f.url + (ex.anchor ? "#" + ex.anchor : "") });
      appendParts(link, marked(f.title, res.terms));
      const kind = el("p", { class: "search-result-kind" }, f.kind);
      if (f.id) kind.append(" ", el("span", { class: "id-badge" }, f.id));
      const p = el("p", { class: "search-result-excerpt" });
      appendParts(p, ex.parts);
      return el("li", { class: "search-result" }, kind, el("h2", { class: "search-result-title" }, link), p);
    });
    if (replace) list.replaceChildren(...items); else list.append(...items);
    shown = from + batch.length;
    more.hidden = shown >= res.docs.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
    return true;
  }

  function announce(res, s) {
    const n = res.docs.length;
    const words = s.text.trim();
    document.title = (words ? `${words} – ` : "") + pageTitle;
    let msg = n === 0 ? "No results" : n === 1 ? "1 result" : `${n} results`;
    if (words) msg += ` for “${words}”`;
    if (Object.values(s.filters).some((v) => v.length)) msg += " with the chosen filters";
    msg += ".";
    if (res.partial) msg += " No page has all of your words, so pages with some of them are shown.";
    if (res.missing.length) msg += ` No page contains ${res.missing.map((w) => `“${w}”`).join(", ")}.`;
    status.textContent = msg;
  }

  function updateCounts(res) {
    if (!res || !res.counts) {
      for (const [c, text] of totals) c.textContent = text;
      return;
    }
    for (const f of form.querySelectorAll("fieldset[data-facet]")) {
      const counts = res.counts[f.dataset.facet] || {};
      for (const c of f.querySelectorAll("input")) {
        const out = c.parentElement.querySelector(".search-count");
        if (out) out.textContent = `(${counts[c.value] || 0})`;
      }
    }
  }

  async function run(s) {
    const mine = ++seq;
    const start = performance.now();
    list.setAttribute("aria-busy", "true");
    try {
      const empty = !s.text.trim() && !Object.values(s.filters).some((v) => v.length);
      const res = empty ? null : await index.search(s, wantCounts);
      if (mine !== seq) return;
      performance.measure("hjp-search-engine", { start, end: performance.now(), detail: s.text });
      if (!res) {
        list.replaceChildren();
        shown = 0;
        current = null;
        status.textContent = "";
        more.hidden = true;
        document.title = pageTitle;
        updateCounts(null);
      } else {
        if (!(await showMore(res, mine, true, false))) return;
        current = res;
        updateCounts(res);
        announce(res, s);
      }
      list.dataset.query = s.text;
      list.dataset.filters = JSON.stringify(s.filters);
      list.dataset.counts = res && res.counts ? "query" : "totals";
      performance.measure("hjp-search", { start, end: performance.now(), detail: s.text });
    } catch (err) {
      if (mine === seq) status.textContent = "Search is not available right now (" + err.message + "). Browse the findings index instead.";
    } finally {
      if (mine === seq) list.setAttribute("aria-busy", "false");
    }
  }

  let typing = null;
  input.addEventListener("input", () => {
    const s = state();
    history.replaceState(s, "", stateURL(s));
    clearTimeout(typing);
    index.prefetch(s.text).catch(() => {});
    typing = setTimeout(() => run(s), 60);
  });
  form.addEventListener("change", (e) => {
    if (e.target === input) return;
    const s = state();
    history.pushState(s, "", stateURL(s));
    run(s);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const s = state();
    history.pushState(s, "", stateURL(s));
    run(s);
  });
  window.addEventListener("popstate", () => run(apply(readState(form))));
  for (const d of form.querySelectorAll("details")) {
    d.addEventListener("toggle", () => {
      if (d.open && !wantCounts) {
        wantCounts = true;
        run(state());
      }
    });
  }
  more.addEventListener("click", () => { if (current) showMore(current, seq, false, true); });

  // Arrow keys move between the box and the result links; Escape returns.
  form.addEventListener("keydown", (e) => {
    if (e.target === input && e.key === "ArrowDown") {
      const first = list.querySelector("a");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  list.addEventListener("keydown", (e) => {
    const links = [...list.querySelectorAll(".search-result-title a")];
    const i = links.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" && i + 1 < links.length) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });

  const initial = apply(readState(form));
  history.replaceState(initial, "", stateURL(initial));
  run(initial);
}

if (typeof document !== "undefined") {
  const form = document.querySelector("form[data-search-index]");
  if (form) init(form);
}
