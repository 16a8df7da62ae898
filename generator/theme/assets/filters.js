/* Filters for the directive index ("Văn bản"), as a progressive enhancement.
 *
 * Each document in the list carries its facets as data attributes on a
 * <span class="hb-facets"> (written by generator/templates/index/directive.md.j2).
 * This script builds one <select> per facet that has something to choose from,
 * and hides the documents (and the year headings left empty) that do not match.
 * Without it every document stays listed. It reads text only (textContent,
 * dataset): nothing from the data is ever parsed as HTML.
 */
(function () {
  "use strict";

  var FACETS = [
    ["loai", "Loại văn bản"],
    ["cap", "Cấp ban hành"],
    ["nam", "Năm ban hành"],
    ["diaPhuong", "Địa phương"],
    ["chuDe", "Chủ đề"],
    ["hieuLuc", "Hiệu lực"]
  ];

  var NONE = "-";     // the choice "not stated" (no facet value is "-")

  function values(span, key) {
    var value = span.dataset[key] || "";
    if (!value) return [];
    return key === "chuDe" ? value.split("|") : [value];
  }

  function matches(span, select) {
    if (!select.value) return true;
    var found = values(span, select.name);
    return select.value === NONE ? !found.length : found.indexOf(select.value) !== -1;
  }

  // The choices live in the address too (?loai=chỉ%20thị&nam=2010), so that a filtered list can be
  // bookmarked or sent to a colleague. Parameter names are the data attributes' (dia-phuong).
  function parameter(key) {
    return key.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); });
  }

  function fromAddress(selects) {
    var wanted = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var value = wanted.get(parameter(select.name));
      if (value !== null) value = value.normalize("NFC").trim();     // typed with a combining-mark keyboard
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      if (value !== null && known) select.value = value;
    });
  }

  function toAddress(selects) {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      if (select.value) params.set(parameter(select.name), select.value);
      else params.delete(parameter(select.name));
    });
    var query = params.toString();
    try {      // some browsers refuse to change a file:// address: the filters still work
      history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    } catch (e) { /* keep the address as it was */ }
  }

  function setUp() {
    var article = document.querySelector("article.md-content__inner");
    if (!article || article.querySelector(".hb-filters")) return;
    var cards = Array.prototype.map.call(article.querySelectorAll("span.hb-facets"), function (span) {
      return { span: span, item: span.closest("li") };
    });
    if (!cards.length) return;

    var form = document.createElement("form");
    form.className = "hb-filters";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Lọc văn bản");
    var selects = [];
    FACETS.forEach(function (facet) {
      var key = facet[0], seen = {}, missing = false;
      cards.forEach(function (card) {
        var found = values(card.span, key);
        if (!found.length) missing = true;
        found.forEach(function (v) { seen[v] = true; });
      });
      var options = Object.keys(seen);
      if (!options.length || (options.length < 2 && !missing)) return;   // nothing to choose
      options.sort(function (a, b) {
        return key === "nam" ? Number(b) - Number(a) : a.localeCompare(b, "vi");
      });
      var label = document.createElement("label");
      label.appendChild(document.createTextNode(facet[1]));
      var select = document.createElement("select");
      select.name = key;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "Tất cả";
      select.appendChild(all);
      options.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      if (missing) {         // documents that do not state it can be chosen too
        var none = document.createElement("option");
        none.value = NONE;
        none.textContent = key === "nam" ? "Chưa rõ năm" : "Không ghi";
        select.appendChild(none);
      }
      label.appendChild(select);
      form.appendChild(label);
      selects.push(select);
    });
    if (!selects.length) return;

    var reset = document.createElement("button");
    reset.type = "reset";
    reset.textContent = "Bỏ lọc";
    form.appendChild(reset);
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);

    function apply() {
      toAddress(selects);
      var shown = 0;
      cards.forEach(function (card) {
        var match = selects.every(function (select) {
          return matches(card.span, select);
        });
        card.item.hidden = !match;
        if (match) shown += 1;
      });
      // A year heading whose documents are all hidden goes too.
      Array.prototype.forEach.call(article.querySelectorAll("h2"), function (heading) {
        var list = heading.nextElementSibling;
        if (list && list.tagName === "UL" && list.querySelector("span.hb-facets")) {
          var visible = Array.prototype.some.call(list.children, function (li) { return !li.hidden; });
          heading.hidden = !visible;
          list.hidden = !visible;
          // …and its entry in the page's table of contents, which would lead nowhere.
          var entry = heading.id && document.querySelector('.md-sidebar--secondary a[href="#' + heading.id + '"]');
          if (entry && entry.parentElement) entry.parentElement.hidden = !visible;
        }
      });
      count.textContent = shown ? "Đang hiện " + shown + "/" + cards.length + " văn bản"
        : "Không có văn bản nào khớp mọi bộ lọc đã chọn; bấm “Bỏ lọc” hoặc bớt một điều kiện.";
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var first = article.querySelector("h2");
    article.insertBefore(form, first);
    fromAddress(selects);
    apply();
    // Back to this page: the browser puts the choices back after this script ran; show what they say.
    window.addEventListener("pageshow", apply);
    window.addEventListener("load", apply);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
