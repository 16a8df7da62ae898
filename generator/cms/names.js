/* Names in the form: what a picker shows and searches, and the id a new record gets from its name.

   - `slug`: `handbook new`'s id, by generator/ids.py's rule (tests/test_cms_names.py compares the
     two over any text); `refusal`: why an id cannot be one (too long, a Windows device name).
   - `label`: what a reader recognises a record by, as the site names it (schema.py's
     display_name; a directive with its issuer and subject, a practice with its province).
   - `searchable`: the label with and without diacritics, so "chi thi" finds "Chỉ thị".

   Runs in the browser (window.HandbookNames) and in node (module.exports). */
(function (root) {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  }

  // generator/ids.py's rule, step for step (its docstring says why it is so plain).
  var MAX_ID_LENGTH = 80;
  var DEVICE_NAMES = ["con", "prn", "aux", "nul"];
  for (var n = 1; n < 10; n++) { DEVICE_NAMES.push("com" + n, "lpt" + n); }

  function slug(text) {
    var folded = String(text).replace(/'/g, "-").replace(/[\u2018\u2019]/g, "")
      .normalize("NFKD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
    return shorten(folded.replace(/[A-Z]+/g, function (upper) { return upper.toLowerCase(); })
      .replace(/(\d),(?=\d)/g, "$1").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""));
  }

  function shorten(made) {
    if (made.length <= MAX_ID_LENGTH) { return made; }
    var cut = made.slice(0, MAX_ID_LENGTH + 1);
    cut = cut.indexOf("-") >= 0 ? cut.slice(0, cut.lastIndexOf("-")) : cut.slice(0, MAX_ID_LENGTH);
    return cut.replace(/^-+|-+$/g, "");
  }

  /* Why an id of the right form still cannot be one (ids.py's id_refusal), or null. */
  function refusal(id) {
    if (id.length > MAX_ID_LENGTH) { return "mã dài " + id.length + " ký tự, quá " + MAX_ID_LENGTH + " ký tự"; }
    if (DEVICE_NAMES.indexOf(id) >= 0) {
      return "mã `" + id + "` là tên thiết bị Windows dành riêng (tệp " + id + ".yaml không mở được trên Windows)";
    }
    return null;
  }

  function text(value) { return typeof value === "string" ? value.trim() : ""; }

  /* 2010-03-09 → 9/3/2010, 2010-03 → tháng 3/2010, 2010 → năm 2010 (dates.py's `vietnamese`). */
  function vietnameseDate(value) {
    var match = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/.exec(text(value));
    if (!match) { return null; }
    var year = +match[1], month = match[2] ? +match[2] : null, day = match[3] ? +match[3] : null;
    if (day) { return { day: true, text: day + "/" + month + "/" + year }; }
    return { day: false, text: month ? "tháng " + month + "/" + year : "năm " + year };
  }

  function directive(data, names) {
    var type = text(data.doc_type) || "văn bản", number = text(data.number), title = text(data.title);
    var kind = type.charAt(0).toUpperCase() + type.slice(1), name;
    if (number) { name = kind + " số " + number; }
    else if (text(data.short_name)) { name = text(data.short_name); }
    else if (title && title.toLowerCase().indexOf(type) === 0) { name = title; }
    else { name = (kind + " " + title).trim(); }
    var when = vietnameseDate(data.issued), term = text(data.term);
    if (when) { name += (when.day ? " ngày " : " ") + when.text; }
    else if (term && name.indexOf("khóa") < 0) { name += " (khóa " + term + ")"; }
    var issuer = text(data.issuer) ? (names.organs || {})[text(data.issuer)] || text(data.issuer) : "";
    if (issuer && name.indexOf(issuer) < 0) { name += " của " + issuer; }
    if (title && name.indexOf(title) < 0) { name += ": " + title; }
    return name;
  }

  /* A record as a reader knows it; `layout` is the kind's (fmt.layout_of), `names` the build's organ and
     province names by id. */
  function label(folder, layout, data, names) {
    names = names || {};
    if (folder === "directives") { return directive(data, names); }
    var name = (layout.pick || [layout.name]).map(function (k) { return text(data[k]); }).filter(Boolean).join(" · ");
    var province = text(data.province);
    if (province && folder !== "provinces") { name += " — " + ((names.provinces || {})[province] || province); }
    return name || text(data.id);
  }

  function searchable(name, id) {
    return [name, fold(name), id || ""].join(" ");
  }

  var api = { fold: fold, slug: slug, refusal: refusal, label: label, searchable: searchable, vietnameseDate: vietnameseDate };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.HandbookNames = api; }
}(typeof self !== "undefined" ? self : this));
