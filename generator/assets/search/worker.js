/* Handbook search: answers Material for MkDocs' search box with our own index.
 *
 * Material's page script sends {type: 0 (SETUP)}, we answer {type: 1 (READY)};
 * it sends {type: 2 (QUERY), data: "what was typed"}, we answer {type: 3
 * (RESULT), data: {items: [[page]], suggest: []}}. The index is written by
 * generator/search.py: search/hb/meta.js, shards t-<3 letters>.js of postings
 * and chunks d-<n>.js of titles and teasers, each a script calling HB_META,
 * HB_SHARD or HB_DOCS, so it loads from file:// as well as from a server.
 *
 * Runs as a Web Worker online; from file:// (no workers there) file-worker.js
 * loads it as a page script and calls HandbookSearchConnect instead.
 * Plain ES2018, no build step, no eval.
 */
(function () {
  "use strict";

  var IN_WORKER = typeof document === "undefined" && typeof importScripts === "function";
  var scope = IN_WORKER ? self : window;
  var here = IN_WORKER ? self.location.href : document.currentScript.src;
  var BASE = new URL("../../../search/hb/", here).href;

  // Field bits (generator/search.py) → weight: title, subject line, keywords, body.
  var FIELD_WEIGHTS = [[1, 10], [2, 8], [4, 5], [8, 1]];
  // Record page, listing page, guide, hub (a record page that mostly lists others:
  // a province, topic, organ, source or course), the editors' guide (for readers, last: it answers
  // a query about editing, which no other page does), and what a hub's body weighs.
  var KIND_WEIGHTS = [1, 0.45, 0.7, 1, 0.05], HUB = 3, HUB_BODY = 0.4;
  var PREFIX = 0.6, FUZZY = 0.5, TELEX = 0.9, ROMAN = 0.9, STOPPED = 0.15, PHRASE = 1.5, SCATTERED = 0.4;
  // A word typed with diacritics, on a page that never spells it so ("kiểm" where the page has "kiệm").
  var MISSPELT = 0.05;
  // What a figure weighs wherever a page writes it (the body weighs 1, keywords 5, a title 10).
  var FIGURE = 3;
  // One result past what the header counts as a number: with 31 back, search-none.js says "hơn 30".
  var MAX_RESULTS = 31, MAX_SHARDS = 400, MAX_CHUNKS = 60, MAX_WORDS = 24;

  // Question and function words, ignored when other words remain. With diacritics
  // they are exact; typed without, only those no content word folds to.
  var STOP_EXACT = set("ai bao bây cả các cái có của cùng đã đâu để đến đó gì giờ hay hoặc khi không là làm " +
    "mà mấy một này nào nên như nhiêu những ở ra rằng sao sẽ tại thế thì từ và vào về với được cho trong " +
    "cần muốn tìm hỏi hãy xin ơi nhỉ vậy ạ tôi em");
  var STOP_FOLDED = set("ai bao bay cac cua gi hay hoac khong la ma may nao nhu nhieu nhung rang sao thi " +
    "va voi duoc trong can muon tim hoi hay xin vay khi cho em");

  var meta = null;
  var shards = new Map();      // shard key → {term: postings string}
  var decoded = new Map();     // term → [pages, bits]
  var chunks = new Map();      // chunk number → [[location, title, teaser]]
  var loaded = new Set();
  var pending = new Map();

  scope.HB_META = function (value) {
    meta = value;
    meta.shardSet = new Set(value.shards);
    meta.places = value.places || {};
    // Abbreviations by folded spelling too, the plain one first ("tu": TU before TƯ).
    meta.abbrFolded = new Map();
    Object.keys(value.abbr).sort(function (a, b) { return (fold(a) !== a) - (fold(b) !== b); })
      .forEach(function (a) { if (!meta.abbrFolded.has(fold(a))) meta.abbrFolded.set(fold(a), value.abbr[a]); });
  };
  scope.HB_SHARD = function (key, terms) { shards.set(key, terms); };
  scope.HB_DOCS = function (number, docs) { chunks.set(number, docs); };

  function set(words) { return new Set(words.split(" ")); }

  // --- Loading ------------------------------------------------------------------------

  function load(files) {
    files = files.filter(function (f) { return !loaded.has(f); });
    if (!files.length) return Promise.resolve();
    if (IN_WORKER) {
      files.forEach(function (f) {
        try { importScripts(BASE + f); } catch (e) { /* a missing file is an empty one */ }
        loaded.add(f);
      });
      return Promise.resolve();
    }
    return Promise.all(files.map(function (f) {
      if (!pending.has(f)) {
        pending.set(f, new Promise(function (resolve) {
          var tag = document.createElement("script");
          tag.src = BASE + f;
          tag.onload = tag.onerror = function () { loaded.add(f); pending.delete(f); tag.remove(); resolve(); };
          document.head.appendChild(tag);
        }));
      }
      return pending.get(f);
    }));
  }

  function forget() {
    // Bounded memory: drop the oldest shards and page chunks once too many are held
    // (after a query is answered, so never one it needs).
    while (shards.size > MAX_SHARDS) {
      var oldest = shards.keys().next().value;
      shards.delete(oldest);
      loaded.delete("t-" + oldest + ".js");
    }
    while (chunks.size > MAX_CHUNKS) {
      var first = chunks.keys().next().value;
      chunks.delete(first);
      loaded.delete("d-" + first + ".js");
    }
    if (decoded.size > 20000) decoded.clear();
  }

  // --- Words --------------------------------------------------------------------------

  function fold(text) {
    return text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "");
  }

  // A syllable's spelling wherever its tone mark sits ("thủy" = "thuỷ" = "thuy3"), as
  // generator/search.py writes the "=" terms: the tone as VNI numbers it, at the end.
  var TONES = { "\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5" };
  function spelling(exact) {
    var tone = "";
    var rest = exact.normalize("NFD").replace(/[\u0300\u0301\u0303\u0309\u0323]/g, function (c) { tone = TONES[c]; return ""; });
    return rest.normalize("NFC") + tone;
  }

  function shardKey(term) {
    var head = fold(term.charCodeAt(0) === 61 ? term.slice(1).replace(/[1-5]$/, "") : term.split(" ")[0]).slice(0, 3);
    return head.replace(/[^0-9a-z]/g, "_") || "_";
  }

  var TOKEN = /[\p{L}\p{M}]+|\p{Nd}+/gu;

  // Typed as cadres type them: "B.T.C.T.W" and "H.D" are abbreviations, "1.000" and "1000" one number
  // (generator/search.py joins the pages' figures the same way).
  var DOTTED = /(^|[^\p{L}\p{M}])(\p{L}\p{M}*(?:\.\p{L}\p{M}*)+)\.?(?![\p{L}\p{M}])/gu;
  var THOUSANDS = /(^|[^\d.,])(\d{1,3}(?:[.\u00a0\u202f]\d{3})+)(?![\d]|\.\d)/g;

  function normalised(query) {
    return query.normalize("NFC")
      .replace(DOTTED, function (all, before, letters) { return before + letters.replace(/\./g, "").toUpperCase(); })
      .replace(THOUSANDS, function (all, before, digits) { return before + digits.replace(/\D/g, ""); });
  }

  // A document number or a date typed as one run: a number joined to letters or other numbers by
  // "/" or "-" ("38-HD/BTCTW", "202/2025/QH15", "12/6/2025"; not a range such as "2020-2025").
  var RUN = /\S+/g;
  function isReference(run) {
    return /\d/.test(run) && (/[^\s\/]\/[^\s\/]/.test(run) || /\p{L}-\p{Nd}|\p{Nd}-\p{L}/u.test(run));
  }

  function parse(query) {
    var words = [];
    var text = normalised(query);
    var match, runs = [];
    RUN.lastIndex = 0;
    while ((match = RUN.exec(text)) !== null) if (isReference(match[0])) runs.push([match.index, match.index + match[0].length]);
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null && words.length < MAX_WORDS) {   // a pasted page is not a query
      var raw = match[0], exact = raw.toLowerCase(), folded = fold(raw), at = match.index;
      var ref = runs.findIndex(function (r) { return r[0] <= at && at < r[1]; });
      words.push({
        raw: raw, exact: exact, folded: folded, marked: exact !== folded, spelt: spelling(exact),
        upper: (raw.match(/\p{Lu}/gu) || []).length >= 2,
        stop: exact !== folded ? STOP_EXACT.has(exact) : STOP_FOLDED.has(folded),
        number: /^\p{Nd}+$/u.test(raw), at: at, end: at + raw.length, ref: ref >= 0 ? ref : undefined
      });
      if (ref >= 0) words[words.length - 1].stop = false;     // "từ" or "có" inside a number is a part of it
    }
    if (words.every(function (w) { return w.stop; })) words.forEach(function (w) { w.stop = false; });
    words.forEach(function (w, index) {
      w.origin = index;
      if (w.number && +w.raw >= 1 && +w.raw <= 30) w.roman = roman(+w.raw);   // "khóa 12": khóa XII
    });
    var open = words.length && !/\s$/.test(query);
    if (open) words[words.length - 1].open = true;      // being typed: a prefix
    // One letter being typed after other words is not a word yet ("38-H"): it counts for nothing.
    var last = words[words.length - 1];
    if (open && words.length > 1 && last.folded.length < 2 && !last.number) last.stop = true;
    words.text = text;
    placed(words);
    return words;
  }

  // The words that name a province ("đồng tháp", "ba ria vung tau"), longest name first.
  function placed(words) {
    for (var i = 0; i < words.length; i++) {
      for (var n = Math.min(4, words.length - i); n >= 1; n--) {
        var name = words.slice(i, i + n).map(function (w) { return w.folded; }).join(" ");
        if (Object.prototype.hasOwnProperty.call(meta.places, name)) {
          for (var j = i; j < i + n; j++) words[j].place = meta.places[name];
          i += n - 1;
          break;
        }
      }
    }
  }

  // The figures grouped by plain spaces read as one number ("42 883" = 42883), or null when
  // the query has none. It is a second reading: "khóa 12 100 đảng viên" may be two numbers.
  function spacedFigures(words) {
    var out = [], joined = false;
    words.forEach(function (w) {
      var last = out[out.length - 1];
      if (w.number && w.raw.length === 3 && last && last.number && last.ref === undefined && w.ref === undefined &&
          words.text.slice(last.end, w.at) === " " && (last.grouped || last.raw.length <= 3)) {
        var raw = last.raw + w.raw;
        out[out.length - 1] = Object.assign({}, last, { raw: raw, exact: raw, folded: raw, spelt: raw, end: w.end,
          grouped: true, origins: (last.origins || [last.origin]).concat([w.origin]), open: w.open, roman: undefined });
        joined = true;
      } else out.push(w);
    });
    return joined ? out : null;
  }

  function roman(n) {
    var out = "";
    [[10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]].forEach(function (r) {
      while (n >= r[0]) { out += r[1]; n -= r[0]; }
    });
    return out;
  }

  // --- Postings -----------------------------------------------------------------------

  function postings(term) {
    var hit = decoded.get(term);
    if (hit) return hit;
    var terms = shards.get(shardKey(term));
    if (!terms) return [[], []];          // not loaded (yet): nothing to remember
    var text = Object.prototype.hasOwnProperty.call(terms, term) ? terms[term] : "";   // not "constructor"
    hit = [[], []];
    if (text) {
      var re = /([0-9a-z]+)([A-P])/g, m, page = 0;
      while ((m = re.exec(text)) !== null) {
        page += parseInt(m[1], 36);
        hit[0].push(page);
        hit[1].push(m[2].charCodeAt(0) - 65);
      }
    }
    decoded.set(term, hit);
    return hit;
  }

  var FIELD_SCORE = [];
  for (var bits = 0; bits < 16; bits++) {
    var best = 0, sum = 0;
    FIELD_WEIGHTS.forEach(function (fw) { if (bits & fw[0]) { best = Math.max(best, fw[1]); sum += fw[1]; } });
    FIELD_SCORE.push(best + 0.1 * (sum - best));
  }

  function idf(frequency) { return Math.log(1 + meta.pages / Math.max(1, frequency)); }

  function shardsFor(prefix) {
    var key = shardKey(prefix);
    if (key.length >= 3) return meta.shardSet.has(key) ? [key] : [];
    return meta.shards.filter(function (k) { return k.lastIndexOf(key, 0) === 0; });
  }

  function termsStarting(prefix, phrase) {
    var found = [];
    shardsFor(prefix).forEach(function (key) {
      var terms = shards.get(key) || {};
      for (var term in terms) {
        if (term.charCodeAt(0) === 61) continue;                  // "=": exact spellings
        if ((term.indexOf(" ") >= 0) !== phrase) continue;
        if (term !== prefix && term.lastIndexOf(prefix, 0) === 0) found.push(term);
      }
    });
    return found;
  }

  function near(word, distance) {
    var found = [];
    shardsFor(word.slice(0, 3)).forEach(function (key) {
      var terms = shards.get(key) || {};
      for (var term in terms) {
        if (term.indexOf(" ") < 0 && term.charCodeAt(0) !== 61 && term !== word &&
            Math.abs(term.length - word.length) <= distance && edits(word, term, distance) <= distance) {
          found.push(term);
        }
      }
    });
    return found;
  }

  // Telex typed without its input method: "chuyeenr" is "chuyển", "nguowif" is "người".
  function telexForms(word) {
    var plain = word.replace(/dd/g, "d").replace(/([aeo])\1/g, "$1").replace(/([aou])w/g, "$1").replace(/w/g, "u");
    return [plain, plain.replace(/[sfrxj]$/, "")];
  }

  function telex(word) {
    var candidates = telexForms(word);
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      if (c !== word && c.length && shards.has(shardKey(c)) && postings(c)[0].length) return c;
    }
    return null;
  }

  function edits(a, b, limit) {
    // Damerau–Levenshtein (optimal string alignment), stopping early past `limit`.
    var prev2 = null, prev = [], row, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        low = Math.min(low, v);
      }
      if (low > limit) return limit + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }

  // --- Ranking ------------------------------------------------------------------------

  function neededShards(words) {
    var keys = new Set();
    words.forEach(function (w) {
      // A word being typed is also a prefix (from two letters on): all the shards it may start.
      if (w.open && w.folded.length === 2 && !w.number) shardsFor(w.folded).forEach(function (k) { keys.add(k); });
      else keys.add(shardKey(w.folded));
      if (!w.number) telexForms(w.folded).forEach(function (t) { keys.add(shardKey(t)); });
      if (w.roman) keys.add(shardKey(w.roman));
    });
    return Array.from(keys).filter(function (k) { return meta.shardSet.has(k); })
      .map(function (k) { return "t-" + k + ".js"; });
  }

  // Each unit is one query word: its matching pages with the best weight, and
  // whether the match was in a title. A phrase is two adjacent units.
  function fieldScore(page, bits) {
    var s = FIELD_SCORE[bits];
    return bits === 8 && Math.floor(meta.kinds[page] / 40) === HUB ? s * HUB_BODY : s;
  }

  // Whether the word as typed is a whole word of some page: then the words it begins
  // ("đa" → "đảng") and its near spellings may rank pages but never make them an answer.
  function whole(word) { return word.folded.length >= 2 && postings(word.folded)[0].length > 0; }

  // A figure: a number of three digits or more that is not a year ("3448", "803"; not "12", "2019").
  function figure(word) {
    return word.number && word.folded.length >= 3 && !(+word.folded >= 1900 && +word.folded <= 2100);
  }

  function unitScores(word) {
    var scores = new Map(), complete = word.number || whole(word);
    // A figure says which page as well as a name does, wherever the page writes it ("3.448 chi bộ").
    var least = figure(word) ? FIGURE : 0;
    function add(term, factor, loose) {
      var p = postings(term), weight = idf(p[0].length) * factor, firm = !loose || !complete;
      for (var i = 0; i < p[0].length; i++) {
        var page = p[0][i], s = weight * Math.max(least, fieldScore(page, p[1][i]));
        var old = scores.get(page), named = firm && (p[1][i] & 7) !== 0;      // title, subject line or keywords
        if (!old || old.score < s) scores.set(page, { score: s, title: (p[1][i] & 1) !== 0, named: named || (old && old.named) });
        else if (named) old.named = true;
      }
    }
    add(word.folded, 1, false);
    if (word.roman) add(word.roman, ROMAN, false);
    if (word.open && !word.number && word.folded.length >= 2) {
      termsStarting(word.folded, false).forEach(function (t) { add(t, PREFIX, true); });
    }
    if (!scores.size && !word.number) {
      var typed = telex(word.folded);
      if (typed) add(typed, TELEX, false);
    }
    if (!scores.size && !word.number && word.folded.length >= 4) {
      near(word.folded, 1).forEach(function (t) { add(t, FUZZY, true); });
    }
    return scores;
  }

  // Pages holding two adjacent query words together: page → score; `.firm`: the pages holding
  // the pair as typed (not a longer word the second one begins, when it is a whole word already).
  function phraseScores(first, second) {
    var scores = new Map(), firm = new Set(), complete = second.number || whole(second);
    function add(term, factor, loose) {
      var p = postings(term), weight = idf(p[0].length) * factor * PHRASE;
      for (var i = 0; i < p[0].length; i++) {
        var s = weight * fieldScore(p[0][i], p[1][i]);
        if ((scores.get(p[0][i]) || 0) < s) scores.set(p[0][i], s);
        if (!loose || !complete) firm.add(p[0][i]);
      }
    }
    var term = first.folded + " " + second.folded;
    add(term, 1, false);
    if (second.roman) add(first.folded + " " + second.roman, ROMAN, false);
    if (second.open && !second.number) termsStarting(term, true).forEach(function (t) { add(t, PREFIX, true); });
    scores.firm = firm;
    return scores;
  }

  function rank(words) {
    var total = new Map(), matched = new Map(), titled = new Map(), exact = new Map(), found = new Map();
    var firm = new Map();        // page → the share of query words it names, or holds beside a neighbour
    var firmOther = new Map();   // the same, of the words that do not name a province
    // A word typed with its diacritics counts as typed: a page that never spells it so ("kiệm" for
    // "kiểm") ranks lower and is no answer for it (tone marks may sit either way: "thuỷ", "thủy").
    // Typed in capitals, a word is an abbreviation: pages write those in capitals, which spell nothing.
    var spelt = words.map(function (w) { return w.marked && !w.upper ? new Set(postings("=" + w.spelt)[0]) : null; });
    function misspelt(index, page) { return spelt[index] && !spelt[index].has(page); }
    // An abbreviation's expansion is one unit however many syllables it has: each
    // of them weighs its share, so "BTCTW" does not outweigh the rest of the query.
    var content = words.reduce(function (n, w) { return n + (w.stop ? 0 : share(w)); }, 0);
    var other = words.reduce(function (n, w) { return n + (w.stop || w.place !== undefined ? 0 : share(w)); }, 0);
    var places = new Set();      // the pages of the provinces the query names
    words.forEach(function (w) { if (w.place !== undefined && !w.stop) places.add(w.place); });
    if (!places.size) other = 0;
    var marked = words.filter(function (w) { return w.marked && !w.upper && !w.stop; });
    // Phrases first: the pages where each pair of adjacent query words stands together.
    var phrases = words.map(function (word, index) { return index > 0 ? phraseScores(words[index - 1], word) : null; });
    var named = words.map(function () { return new Set(); }), held = words.map(function () { return new Set(); });
    function together(index) {
      // Pages where word `index` stands beside a neighbour, or null when it makes no
      // phrase with either (then where it stands does not matter).
      var pages = null;
      [index, index + 1].forEach(function (i) {
        var pair = phrases[i];
        if (!pair || !pair.size || words[i - 1].stop || words[i].stop) return;
        pages = pages || new Set();
        pair.firm.forEach(function (page) {
          if (!misspelt(i - 1, page) && !misspelt(i, page)) pages.add(page);
        });
      });
      return pages;
    }
    words.forEach(function (word, index) {
      var factor = (word.stop ? STOPPED : 1) * share(word);
      var beside = together(index);
      unitScores(word).forEach(function (hit, page) {
        // A syllable away from the word it makes with its neighbour is another word:
        // "nhiệm" of "đảm nhiệm" is not the "nhiệm" of "kiêm nhiệm".
        var apart = beside && !beside.has(page) ? SCATTERED : 1;
        var wrong = misspelt(index, page);
        total.set(page, (total.get(page) || 0) + hit.score * factor * apart * (wrong ? MISSPELT : 1));
        if (!word.stop) matched.set(page, (matched.get(page) || 0) + share(word) * apart);
        if (hit.named && !wrong) named[index].add(page);
        held[index].add(page);
        if (!word.stop && (named[index].has(page) || (beside && beside.has(page)))) {
          firm.set(page, (firm.get(page) || 0) + share(word));
          if (word.place === undefined) firmOther.set(page, (firmOther.get(page) || 0) + share(word));
        }
        if (!found.has(page)) found.set(page, new Set());
        (word.origins || [word.origin]).forEach(function (o) { found.get(page).add(o); });
        if (hit.title) titled.set(page, (titled.get(page) || 0) + share(word) * apart);
      });
      if (index > 0) {
        var previous = words[index - 1];
        var phrase = previous.group !== undefined && previous.group === word.group ? share(word) : 1;
        phrases[index].forEach(function (s, page) {
          var wrong = misspelt(index - 1, page) || misspelt(index, page);
          total.set(page, (total.get(page) || 0) + s * phrase * (wrong ? MISSPELT : 1));
        });
      }
    });
    marked.forEach(function (word) {      // spelt so in its title or subject line
      var p = postings("=" + word.spelt);
      p[0].forEach(function (page, i) { if (p[1][i] & 3) exact.set(page, (exact.get(page) || 0) + 1); });
    });
    var identified = references(words, phrases, named);
    // A figure typed in a query is what it asks about: a page without it is no answer ("3448 chi bộ").
    var figures = held.filter(function (pages, index) { var w = words[index]; return figure(w) && !w.stop && !w.open; });
    var ranked = [];
    total.forEach(function (score, page) {
      var info = meta.kinds[page], kind = Math.floor(info / 40), length = Math.max(1, info % 40);
      var coverage = content ? (matched.get(page) || 0) / content : 1;
      var inTitle = Math.min(length, titled.get(page) || 0) / length;
      score *= coverage * coverage * (1 + 0.6 * inTitle) * KIND_WEIGHTS[kind];
      if (marked.length) score *= 1 + 0.25 * (exact.get(page) || 0) / marked.length;
      var answers = identified(page) && figures.every(function (pages) { return pages.has(page); });
      // A province's name says where, not what: on any page but the province's own, the query's
      // other words must answer as well ("giá đất đồng tháp" is not a page on "đánh giá" in Đồng Tháp).
      var where = places.has(page) || !other || (firmOther.get(page) || 0) / other > 0.5;
      ranked.push([page, score, found.get(page), answers && where && relevant(content, firm.get(page) || 0, coverage)]);
    });
    return ranked;
  }

  // A number typed inside a document number or a date is what identifies it: a page answers only
  // if it holds that number beside a neighbour of the same number ("202 2025" of "202/2025/QH15"),
  // or names it (title, subject line, keywords) together with another of its parts ("832" and
  // "TU" of "CV 832/TU"). So "123-NQ/TW", which no page holds, finds nothing, not every resolution.
  function references(words, phrases, named) {
    var checks = [];
    // The part still being typed is not checked, and a neighbour being typed is read as a prefix.
    function beside(i, page) { return words[i].open ? phrases[i].has(page) : phrases[i].firm.has(page); }
    words.forEach(function (w, k) {
      if (!w.number || w.ref === undefined || w.open) return;
      var others = [];
      words.forEach(function (o, j) { if (j !== k && o.ref === w.ref) others.push(j); });
      if (!others.length) return;
      checks.push(function (page) {
        if (k > 0 && words[k - 1].ref === w.ref && beside(k, page)) return true;
        if (k + 1 < words.length && words[k + 1].ref === w.ref && beside(k + 1, page)) return true;
        return named[k].has(page) && others.some(function (j) { return named[j].has(page); });
      });
    });
    return function (page) { return checks.every(function (check) { return check(page); }); };
  }

  // The relevance floor: a page answers a query of several words only if it names, or holds as
  // phrases, more than half of them. One common syllable that happens to stand somewhere in a
  // body ("giá" of "đánh giá" for "giá vàng hôm nay") is not an answer: better "nothing found".
  function relevant(content, firm, coverage) {
    return content <= 1 ? coverage > 0 : firm / content > 0.5;
  }

  // Abbreviations both ways: "UBKT" also asks for "ủy ban kiểm tra". A word is
  // read as an abbreviation when typed in capitals or when no page uses it as a word.
  function share(word) { return word.share || 1; }

  // Which words stand for an abbreviation, by one rule: typed as one (two capitals or more, or
  // dotted: "TƯ", "b.t.c.t.w"), or spelt as no Vietnamese syllable is ("ubnd", "btctw", "qđ"), or
  // a word no page uses. A lowercase word that is also an ordinary syllable ("tư", "đa", "tu")
  // is one only beside a number or one of those, as in a document's name ("tư 4", "đa 08 tu",
  // "btv tu"): "tư tưởng" and "đa dạng" stay words. Typed with diacritics, a word is only the
  // abbreviation spelt so ("tư" is TƯ; "từ" is not TU). The plain reading is ranked as well;
  // the better wins.
  function expanded(words) {
    function expansion(w) {
      if (w.marked) return meta.abbr.hasOwnProperty(w.exact) ? meta.abbr[w.exact] : null;
      return meta.abbr.hasOwnProperty(w.exact) ? meta.abbr[w.exact] : meta.abbrFolded.get(w.folded);
    }
    function clearly(w) {
      return w.upper || !syllable(w.folded) || !isWord(w.folded);
    }
    var read = words.map(function (w) { return !w.stop && !w.number && expansion(w) && clearly(w); });
    words.forEach(function (w, index) {
      if (read[index] || w.stop || w.number || !expansion(w)) return;
      read[index] = [index - 1, index + 1].some(function (j) {
        return j >= 0 && j < words.length && (words[j].number || (read[j] === true && clearly(words[j])));
      });
    });
    if (!read.some(Boolean)) return null;
    var out = [];
    words.forEach(function (w, index) {
      if (read[index]) {
        var found = expansion(w);
        found.forEach(function (f) {
          out.push({ raw: f, exact: f, folded: f, spelt: f, marked: false, stop: false, ref: w.ref,
                     group: index, origin: w.origin, origins: w.origins, share: 1 / found.length, abbr: w.folded });
        });
        if (w.open) out[out.length - 1].open = false;
      } else out.push(w);
    });
    return out;
  }

  // A query that is nothing but abbreviations asks what they mean: the glossary
  // answers first, unless a page is named by what they stand for ("BCT": Bộ Chính trị).
  function onlyAbbreviations(words, alternative) {
    var expandedWords = new Set(alternative.map(function (w) { return w.abbr; }));
    return meta.glossaryPage >= 0 && words.every(function (w) { return w.stop || expandedWords.has(w.folded); });
  }

  function namedFirst(top, alternative) {
    if (!top.length) return false;
    var title = " " + tokensOf(doc(top[0][0])[1]).join(" ") + " ";
    var names = new Map();
    alternative.forEach(function (w) {
      if (w.abbr) names.set(w.abbr, (names.get(w.abbr) || "") + " " + w.folded);
    });
    return Array.from(names).some(function (n) {
      return title.indexOf(" " + n[0] + " ") >= 0 || title.indexOf(n[1] + " ") >= 0;
    });
  }

  // Whether a folded word could be one Vietnamese syllable: "tu" and "ban" could, so they are
  // abbreviations only in capitals; "ubnd", "btctw" and "hd" could not, so they are in any case.
  var SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;
  function syllable(folded) { return SYLLABLE.test(folded); }

  function tokensOf(text) { return (text.match(/[\p{L}\p{M}]+|\p{Nd}+/gu) || []).map(fold); }

  function doc(page) { return chunks.get(Math.floor(page / meta.chunk))[page % meta.chunk]; }

  function isWord(folded) {
    var bits = postings(folded)[1];
    for (var i = 0; i < bits.length; i++) if (bits[i] & 11) return true;  // title, subject or body
    return false;
  }

  // --- Answers ------------------------------------------------------------------------

  function escape(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function highlight(text, words) {
    var out = "", last = 0, m;
    var re = /[\p{L}\p{M}]+|\p{Nd}+/gu;
    while ((m = re.exec(text)) !== null) {
      var f = fold(m[0]);
      var hit = words.some(function (w) {
        return !w.stop && (f === w.folded || (w.open && f.lastIndexOf(w.folded, 0) === 0));
      });
      if (hit) {
        out += escape(text.slice(last, m.index)) + "<mark data-md-highlight>" + escape(m[0]) + "</mark>";
        last = m.index + m[0].length;
      }
    }
    return out + escape(text.slice(last));
  }

  function search(query) {
    var words = parse(query);
    // Only signs ("(", "*", an emoji): no word to look for, but still an answer, not a blank panel.
    if (!words.length) return Promise.resolve({ items: query.trim() ? [[nothingFound(query, [])]] : [], suggest: [] });
    var spaced = spacedFigures(words);
    return load(neededShards(spaced ? words.concat(spaced) : words)).then(function () {
      var alternative = expanded(words), spacedAlternative = spaced && expanded(spaced);
      var more = [].concat(alternative || [], spacedAlternative || []);
      var extra = more.length ? load(neededShards(more)) : Promise.resolve();
      return extra.then(function () {
        var scores = new Map();        // page → [page, score, indexes of the query words it has]
        // Each reading of the query (as typed, abbreviations expanded, figures joined): the best wins.
        [words, alternative, spaced, spacedAlternative].forEach(function (ws) {
          if (!ws) return;
          rank(ws).forEach(function (r) {
            if (r[3] && (!scores.has(r[0]) || scores.get(r[0])[1] < r[1])) scores.set(r[0], r);
          });
        });
        var top = Array.from(scores.values()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
          .slice(0, MAX_RESULTS);
        var needed = top.map(function (t) { return t[0]; });
        if (meta.glossaryPage >= 0) needed.push(meta.glossaryPage);
        var files = Array.from(new Set(needed.map(function (n) { return "d-" + Math.floor(n / meta.chunk) + ".js"; })));
        return load(files).then(function () {
          if (alternative && onlyAbbreviations(words, alternative) && !namedFirst(top, alternative)) {
            top = top.filter(function (t) { return t[0] !== meta.glossaryPage; });
            top.unshift([meta.glossaryPage, top.length ? top[0][1] : 1, null]);
          }
          var shown = words.concat(alternative || []);
          var items = top.length ? top.map(function (t) { return [item(t, words, shown)]; })
            : [[nothingFound(query, words)]];
          forget();
          return { items: items, suggest: [] };
        });
      });
    });
  }

  // Material shows the query words a page lacks (struck through): those no field of it matched.
  function item(ranked, words, shown) {
    var found = doc(ranked[0]), terms = {};
    words.forEach(function (w, index) { if (!w.stop) terms[w.raw] = !ranked[2] || ranked[2].has(index); });
    // What the page is (kind, number or date, province), above its teaser: the badge is plain text.
    var badge = found[3] ? '<span class="hb-result-kind">' + escape(found[3]) + "</span> " : "";
    return {
      location: found[0], title: highlight(found[1], shown), text: badge + highlight(found[2], shown),
      score: ranked[1], terms: terms
    };
  }

  // Its title's opening words are how theme/assets/search-none.js tells it from a page found.
  // Spellings are suggested only for words no page holds (a typo); words the handbook knows that
  // found nothing together mean the question is not the handbook's: say what it does hold.
  function nothingFound(query, words) {
    var nearest = [];
    words.forEach(function (w) {
      if (w.stop || w.number || postings(w.folded)[0].length) return;
      near(w.folded, w.folded.length > 4 ? 2 : 1)
        .map(function (t) { return [t, postings(t)[0].length]; })
        .sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); })
        .slice(0, 3).forEach(function (t) { nearest.push(t[0]); });
    });
    var text = nearest.length
      ? "Có thể gõ nhầm; thử: " + nearest.map(function (t) { return "“" + escape(t) + "”"; }).join(", ") +
        ". Hoặc bấm vào đây để xem bảng chữ viết tắt."
      : "Sổ tay gồm văn bản, mô hình, cách làm về công tác tổ chức xây dựng Đảng. Thử số hiệu văn bản " +
        "(như 38-HD/BTCTW), tên tỉnh, thành hoặc một chủ đề; hoặc bấm vào đây để xem bảng chữ viết tắt.";
    return {
      location: meta.glossary || "", score: 0, terms: {},
      title: "Không tìm thấy trang nào khớp với “" + escape(query.trim()) + "”", text: text
    };
  }

  // --- Messages -----------------------------------------------------------------------

  function handle(message) {
    switch (message && message.type) {
      case 0:
        return load(["meta.js"]).then(function () { return { type: 1 }; });
      case 2:
        return search(String(message.data || "")).then(function (data) { return { type: 3, data: data }; },
          function (error) {
            console.warn("handbook search:", error);
            return { type: 3, data: { items: [] } };
          });
      default:
        return Promise.resolve(null);
    }
  }

  function connect(reply) {
    var queue = Promise.resolve();          // answers leave in the order questions came
    return function (message) {
      queue = queue.then(function () { return handle(message); }).then(function (answer) {
        if (answer) reply(answer);
      });
    };
  }

  if (IN_WORKER) {
    var receive = connect(function (answer) { self.postMessage(answer); });
    self.addEventListener("message", function (event) { receive(event.data); });
  } else {
    window.HandbookSearchConnect = connect;
  }
})();
