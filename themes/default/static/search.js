/* playbook search: matches the words typed against every entry's title, summary, tags, people
   and text, title matches first; runs offline from search-index.js, no library. A body word
   that is in the title, tags, people or summary is not in the row's words: those are looked at
   first, so it would never count there. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!box || !input || !list) return;
  var root = box.getAttribute("data-root") || "";
  var rows = [];
  /* The index holds each shared string (URL start, kind, date, tag, person) and each body word
     once; a row refers to them by numbers written as codes: digits `]`..`~` (base 34), then one
     `#`..`[` (base 57) that ends the number. */
  var dictionary = [];
  var ids = new Uint32Array(0);
  function decode(codes, out, at) {
    var acc = 0;
    for (var i = 0; i < codes.length; i++) {
      var c = codes.charCodeAt(i);
      if (c >= 93) acc = acc * 34 + c - 92;
      else { out[at++] = acc * 57 + c - 35; acc = 0; }
    }
    return at;
  }
  function load(data) {
    var strings = data.strings || [], suffix = data.suffix || "", list = data.rows || [];
    var shared = new Uint32Array(64);
    var total = 0;
    for (var i = 0; i < list.length; i++) total += list[i][4].length;
    ids = new Uint32Array(total);
    dictionary = data.words || [];
    var at = 0;
    rows = list.map(function (r) {
      if (r[3].length > shared.length) shared = new Uint32Array(r[3].length);
      var n = decode(r[3], shared, 0);
      var meta = [];
      for (var m = 3; m < n; m++) meta.push(strings[shared[m]]);
      var from = at;
      at = decode(r[4], ids, at);
      return {
        url: strings[shared[0]] + r[0] + suffix, title: r[1], kind: strings[shared[1]],
        date: strings[shared[2]], summary: r[2],
        titleL: r[1].toLowerCase(), metaL: meta.join(" ").toLowerCase(), summaryL: r[2].toLowerCase(),
        from: from, to: at
      };
    });
    search();
  }
  var LIMIT = 50;

  /* Which words of the dictionary start with `term`. */
  function starting(term) {
    var marks = new Uint8Array(dictionary.length);
    for (var i = 0; i < dictionary.length; i++) {
      if (dictionary[i].lastIndexOf(term, 0) === 0) marks[i] = 1;
    }
    return marks;
  }

  function termScore(row, term, marks) {
    var at = row.titleL.indexOf(term);
    if (at === 0 || (at > 0 && row.titleL.charAt(at - 1) === " ")) return 100;
    if (at > 0) return 60;
    if (row.metaL.indexOf(term) >= 0) return 30;
    if (row.summaryL.indexOf(term) >= 0) return 20;
    for (var i = row.from; i < row.to; i++) if (marks[ids[i]]) return 10;
    return 0;
  }

  function search() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = rows.length + " entries to search."; return; }
    var marks = terms.map(starting);
    var found = [];
    for (var i = 0; i < rows.length; i++) {
      var total = 0;
      for (var t = 0; t < terms.length; t++) {
        var s = termScore(rows[i], terms[t], marks[t]);
        if (!s) { total = 0; break; }
        total += s;
      }
      if (total) found.push([total, i]);
    }
    // Best score first; the index is newest first, so ties keep that order.
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    status.textContent = found.length === 1 ? "1 entry found." : found.length + " entries found.";
    found.slice(0, LIMIT).forEach(function (hit) {
      var row = rows[hit[1]];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + row.url;
      link.textContent = row.title;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + row.kind + ", " + row.date;
      var summary = document.createElement("p");
      summary.className = "summary";
      summary.textContent = row.summary;
      item.appendChild(link);
      item.appendChild(meta);
      item.appendChild(summary);
      list.appendChild(item);
    });
    if (found.length > LIMIT) status.textContent += " Showing the first " + LIMIT + ".";
  }

  function links() { return list.querySelectorAll("a"); }

  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    var first = links()[0];
    if (event.key === "Enter" && first) { event.preventDefault(); first.click(); }
    if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
  });
  list.addEventListener("keydown", function (event) {
    var all = Array.prototype.slice.call(links());
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
  });
  /* `?q=` from the search box, or `#q=` (an encrypted site keeps the words from the host). */
  function asked() {
    return new URLSearchParams(location.hash.slice(1)).get("q") ||
      new URLSearchParams(location.search).get("q");
  }
  var query = asked();
  if (query) input.value = query;
  window.addEventListener("hashchange", function () {
    input.value = asked() || "";
    search();
  });
  if (window.playbookSearch) {
    load(window.playbookSearch);
  } else if (window.playbookSealedSearch && window.playbookUnseal) {
    // An encrypted build: the index is sealed like the pages, bound to its file's name, and
    // opened with the same key.
    status.textContent = "Opening the index…";
    window.playbookUnseal(window.playbookSealedSearch, "search-index.js").then(function (json) {
      load(JSON.parse(json));
    }, function () {
      status.textContent = "The search index is damaged or was changed after it was published, so it does not open.";
    });
  } else {
    load({});
  }
})();
