/* 回音 search engine: the browser's half of generator/site/search_index.py (same tokens, same hash, same files).
 *
 * HuiyinSearch.open(base) -> engine; engine.query(text, filters) -> {docs, total, full, concepts};
 * engine.details(docNumbers) -> what each result shows. Files are fetched only when a query needs them.
 *
 * A query is cut into concepts: each synonym (search_synonyms.yaml) found in it, and each remaining run of Chinese
 * characters or of letters and digits. A concept matches a record through any of its wordings (the typed one, or a
 * synonym at 0.8); a wording is its bigrams, each weighted by how rare it is (idf), three times in the title. A
 * record holds a wording when its bigrams there cover every character of it (垃圾清运: 垃圾 and 清运 will do, so
 * words need not be side by side). Records holding every concept come first; then records holding at least half
 * of the query's weight.
 */
(function (global) {
  "use strict";
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + HAN + "]+|[a-z0-9]+", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var FORMAT = 1;
  var SYNONYM_WEIGHT = 0.8;
  var TITLE_WEIGHT = 3;
  var PARTIAL_SHARE = 0.5;

  function normalise(text) { return String(text || "").normalize("NFKC").toLowerCase(); }

  /* The index's tokens of one run (search_index.tokens, without the title's single characters), each with the
   * characters of the run it covers (a bit mask; runs over 30 characters count as covered by all their bigrams). */
  function runTokens(run) {
    if (!IS_HAN.test(run)) return (run.length >= 2 && (run.length >= 4 || /[a-z]/.test(run))) ? [{t: run, cover: 1}] : [];
    var chars = Array.from(run);
    if (chars.length === 1) return [{t: chars[0], cover: 1}];
    var out = [], at = {};
    for (var i = 0; i + 1 < chars.length; i++) {
      var t = chars[i] + chars[i + 1], bits = chars.length <= 31 ? 3 * Math.pow(2, i) : 1;
      if (t in at) out[at[t]].cover |= bits; else { at[t] = out.length; out.push({t: t, cover: bits}); }
    }
    if (chars.length > 31) out.forEach(function (x, k) { x.cover = Math.pow(2, k % 31); });
    return out;
  }

  /* The tokens of a wording: [{t, cover}], and the mask of its characters (all covered: the wording is there). */
  function wording(text) {
    var tokens = [], all = 0, shift = 0;
    (normalise(text).match(RUN) || []).forEach(function (run) {
      var own = runTokens(run), width = own.reduce(function (m, x) { return Math.max(m, 32 - Math.clz32(x.cover)); }, 0);
      if (shift + width > 31) { own.forEach(function (x) { x.cover = 0; }); width = 0; }  // too long: bigrams alone
      own.forEach(function (x) { x.cover = x.cover * Math.pow(2, shift); all |= x.cover; tokens.push(x); });
      shift += width;
    });
    return {tokens: tokens, all: all};
  }

  function textTokens(text) { return wording(text).tokens.map(function (x) { return x.t; }); }

  function fnv(token, buckets) {
    var bytes = new TextEncoder().encode(token), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h & (buckets - 1);
  }

  function varint(bytes, at) {
    var value = 0, shift = 0, b;
    do { b = bytes[at.pos++]; value += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
    return value;
  }

  /* One postings list (search_index.postings): a sorted Uint32Array of record numbers. */
  function postings(bytes, at, total) {
    var head = varint(bytes, at), count = Math.floor(head / 2), out = new Uint32Array(count), i, n = 0;
    if (head & 1) {
      var size = (total + 7) >> 3;
      for (i = 0; i < size; i++) {
        var byte = bytes[at.pos + i];
        if (byte) for (var bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out[n++] = i * 8 + bit;
      }
      at.pos += size;
    } else {
      var doc = 0;
      for (i = 0; i < count; i++) { doc = (i ? doc : 0) + varint(bytes, at); out[i] = doc; }
    }
    return out;
  }

  /* Split a query into concepts: synonyms found in it (longest first), then the runs left over. */
  function concepts(query, synonyms) {
    var text = normalise(query), found = [], members = [];
    synonyms.forEach(function (group, g) {
      group.forEach(function (w) { members.push({word: normalise(w), group: g}); });
    });
    members.sort(function (a, b) { return b.word.length - a.word.length; });
    members.forEach(function (m) {
      var at = text.indexOf(m.word);
      while (at >= 0) {
        found.push({text: m.word, alts: synonyms[m.group].map(function (w) {
          var n = normalise(w), wd = wording(n);
          return {text: n, tokens: wd.tokens, all: wd.all, weight: n === m.word ? 1 : SYNONYM_WEIGHT};
        })});
        text = text.slice(0, at) + " " + text.slice(at + m.word.length);
        at = text.indexOf(m.word);
      }
    });
    (text.match(RUN) || []).forEach(function (run) {
      var wd = wording(run);
      if (wd.tokens.length) found.push({text: run, alts: [{text: run, tokens: wd.tokens, all: wd.all, weight: 1}]});
    });
    var seen = {};
    return found.filter(function (c) { return seen[c.text] ? false : (seen[c.text] = true); });
  }

  function open(base) {
    var metaPromise = null, buckets = {}, chunks = {}, filterFiles = {};

    function get(path, kind) {
      return fetch(base + path).then(function (r) {
        if (!r.ok) { if (r.status === 404 && kind !== "json") return null; throw new Error(path + ": " + r.status); }
        return kind === "json" ? r.json() : r.arrayBuffer();
      });
    }

    function meta() {
      if (!metaPromise) metaPromise = get("meta.json", "json").then(function (m) {
        if (m.format !== FORMAT) throw new Error("search index format " + m.format);
        return m;
      });
      return metaPromise;
    }

    function bucket(m, number) {
      if (!buckets[number]) buckets[number] = get("t/" + number + ".bin").then(function (buf) {
        var map = new Map();
        if (!buf) return map;
        var bytes = new Uint8Array(buf), at = {pos: 0}, dec = new TextDecoder();
        while (at.pos < bytes.length) {
          var len = varint(bytes, at), token = dec.decode(bytes.subarray(at.pos, at.pos + len));
          at.pos += len;
          map.set(token, {docs: postings(bytes, at, m.docs), title: postings(bytes, at, m.docs)});
        }
        return map;
      });
      return buckets[number];
    }

    function entry(m, token) {
      return bucket(m, fnv(token, m.buckets)).then(function (map) { return map.get(token) || null; });
    }

    function filterFile(m, name) {
      if (!filterFiles[name]) filterFiles[name] = get("f/" + name + ".bin").then(function (buf) {
        return buf ? postings(new Uint8Array(buf), {pos: 0}, m.docs) : new Uint32Array(0);
      });
      return filterFiles[name];
    }

    /* The records the filters allow, as a Uint8Array mask (1 = allowed), or null when nothing is filtered. */
    function allowed(m, f) {
      f = f || {};
      var names = [];
      if (f.status) names.push("status-" + f.status);
      if (f.unit) names.push("unit-" + f.unit);
      if (f.category) names.push("category-" + f.category);
      if (f.overdue) names.push("overdue");
      var ranges = [];
      if (f.kind) ranges.push(m.kinds.filter(function (r) { return r[0] === f.kind; }));
      if (f.month) ranges.push(m.months.filter(function (r) { return r[0] === "case " + f.month; }));  // 受理月份: cases
      if (!names.length && !ranges.length) return Promise.resolve(null);
      return Promise.all(names.map(function (n) { return filterFile(m, n); })).then(function (lists) {
        var mask = new Uint8Array(m.docs), need = lists.length + ranges.length, i;
        lists.forEach(function (list) { for (i = 0; i < list.length; i++) mask[list[i]]++; });
        ranges.forEach(function (rs) { rs.forEach(function (r) { for (i = r[1]; i < r[2]; i++) mask[i]++; }); });
        for (i = 0; i < mask.length; i++) mask[i] = mask[i] === need ? 1 : 0;
        return mask;
      });
    }

    function idf(total, df) { return Math.log(1 + (total - df + 0.5) / (df + 0.5)); }

    function query(text, f) {
      return meta().then(function (m) {
        var cs = concepts(text, m.synonyms || []), tokens = {};
        cs.forEach(function (c) { c.alts.forEach(function (a) { a.tokens.forEach(function (x) { tokens[x.t] = null; }); }); });
        var names = Object.keys(tokens);
        return Promise.all([allowed(m, f)].concat(names.map(function (t) { return entry(m, t); }))).then(function (got) {
          var mask = got[0];
          names.forEach(function (t, i) { tokens[t] = got[i + 1]; });
          return rank(m, cs, tokens, mask);
        });
      });
    }

    function rank(m, cs, tokens, mask) {
      var total = m.docs, i, result = {concepts: cs.map(function (c) { return c.text; }), full: 0, total: 0};
      if (!cs.length) {  // filters alone: every allowed record, newest first
        var all = [];
        for (i = 0; i < total; i++) if (!mask || mask[i]) all.push(i);
        result.docs = all; result.total = result.full = all.length;
        return result;
      }
      var score = new Float64Array(total), fullCount = new Uint16Array(total), touched = [], weightSum = 0;
      cs.forEach(function (c) {
        var best = new Float64Array(total), complete = new Uint8Array(total), weight = 0;
        c.alts.forEach(function (a) {
          var present = a.tokens.filter(function (x) { return tokens[x.t]; });
          if (!present.length) return;
          var idfs = present.map(function (x) { return idf(total, tokens[x.t].docs.length); });
          var denom = idfs.reduce(function (x, y) { return x + y; }, 0);
          weight = Math.max(weight, a.weight * denom / present.length);
          var part = new Float64Array(total), covered = new Uint32Array(total);
          present.forEach(function (x, k) {
            var e = tokens[x.t], w = idfs[k] / denom, j;
            for (j = 0; j < e.docs.length; j++) { part[e.docs[j]] += w; covered[e.docs[j]] |= x.cover; }
            for (j = 0; j < e.title.length; j++) part[e.title[j]] += w * (TITLE_WEIGHT - 1);
          });
          for (var d = 0; d < total; d++) {
            if (!part[d]) continue;
            var s = part[d] * a.weight;
            if (s > best[d]) best[d] = s;
            if (a.all && (covered[d] >>> 0) === (a.all >>> 0)) complete[d] = 1;
          }
        });
        weightSum += weight;
        for (var d = 0; d < total; d++) {
          if (!best[d]) continue;
          if (!score[d] && !fullCount[d]) touched.push(d);
          score[d] += weight * best[d];
          fullCount[d] += complete[d];
        }
      });
      var full = [], partial = [];
      touched.forEach(function (d) {
        if (mask && !mask[d]) return;
        if (fullCount[d] === cs.length) full.push(d);
        else if (score[d] >= PARTIAL_SHARE * weightSum) partial.push(d);
      });
      function order(a, b) { return score[b] - score[a] || a - b; }
      full.sort(order); partial.sort(order);
      result.docs = full.concat(partial); result.full = full.length; result.total = result.docs.length;
      return result;
    }

    function chunk(m, number) {
      if (!chunks[number]) chunks[number] = get("d/" + number + ".json", "json");
      return chunks[number];
    }

    function details(docs) {
      return meta().then(function (m) {
        var wanted = Array.from(docs);
        return Promise.all(wanted.map(function (d) { return chunk(m, Math.floor(d / m.chunk)); })).then(function (cs) {
          var statusLabels = {};
          Object.keys(m.status).forEach(function (kind) {
            m.status[kind].forEach(function (s) { statusLabels[kind + " " + s[0]] = s[1]; });
          });
          return wanted.map(function (d, k) {
            var row = cs[k][d % m.chunk], unit = m.units[row[5]];
            return {doc: d, url: row[0], title: row[1], kind: row[2], status: row[3],
                    statusLabel: statusLabels[row[2] + " " + row[3]] || "", date: row[4],
                    unit: unit ? unit[1] : "", snippet: row[6], overdue: !!row[7]};
          });
        });
      });
    }

    /* How many records each concept finds alone (for suggestions when a query finds nothing). */
    function conceptCounts(text) {
      return meta().then(function (m) {
        var cs = concepts(text, m.synonyms || []);
        return Promise.all(cs.map(function (c) {
          return query(c.text, {}).then(function (r) { return {text: c.text, total: r.total}; });
        }));
      });
    }

    return {meta: meta, query: query, details: details, conceptCounts: conceptCounts};
  }

  global.HuiyinSearch = {open: open, normalise: normalise, tokens: textTokens, concepts: concepts, bucketOf: fnv};
})(window);
