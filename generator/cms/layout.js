/* The handbook's one layout for record files, written by the form (see generator/fmt.py).

   `handbook fmt` writes every record file in one layout; the form must write the same
   bytes, or its first save of a hand-written record would show the whole file as changed.
   This is fmt.py's writer, rule for rule (tests/test_fmt_form.py compares the two on
   generated records). It reads files as the handbook's loader does: every value is text
   (`010`, `no`, `1.000` stay as written), an empty value is nothing; the comment lines
   that open the file are kept and written back above the record.

   Runs in the browser (window.HandbookLayout, with js-yaml loaded before it) and in node
   (the tests: module.exports). */
(function (root) {
  "use strict";

  var SAFE = "\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd\\u{10000}-\\u{10ffff}";
  var UNSAFE = new RegExp("[^" + SAFE + "]", "u");
  var UNSAFE_ALL = new RegExp("[^" + SAFE + "]", "gu");
  var ESCAPED = new RegExp('[\\\\"]|[^' + SAFE + "]", "gu");
  var INDICATORS = "-?:,[]{}#&*!|>'\"%@`";
  var TYPED = new RegExp("^(?:[-+]?(\\.?[0-9][0-9_:.]*([eE][-+]?[0-9]+)?|0[xXoObB][0-9a-fA-F_]+|\\.(inf|Inf|INF))" +
    "|\\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \\t].*)?" +
    "|~|null|Null|NULL|y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE" +
    "|on|On|ON|off|Off|OFF|<<|=)$");
  var SCAFFOLD_HINT = "# Các trường bắt đầu bằng # là tùy chọn";
  var HEADER = "_header";     // where a record read from a file keeps its comment lines (no field starts with _)
  var NOTES = "_notes";       // …and the comments inside it, which the form cannot keep (editor.js warns)
  // What the form adds to a record it reads (the header, the notes, editor.js's names for pickers): never written.
  var DERIVED = [HEADER, NOTES, "_name", "_search"];

  function isPlain(text) {
    return text !== "" && INDICATORS.indexOf(text[0]) < 0 && text[0] !== " " && " :".indexOf(text[text.length - 1]) < 0 &&
      text.indexOf(": ") < 0 && text.indexOf(" #") < 0 && text.indexOf("\n") < 0 &&
      !UNSAFE.test(text) && !TYPED.test(text);
  }

  function isBlock(text) {
    return text.indexOf("\n") >= 0 && " \n".indexOf(text[0]) < 0 && " \n".indexOf(text[text.length - 1]) < 0 &&
      !UNSAFE.test(text.split("\n").join("")) && text.indexOf(" \n") < 0;
  }

  function hex(code, width) {
    var digits = code.toString(16).toUpperCase();
    while (digits.length < width) { digits = "0" + digits; }
    return digits;
  }

  function quoted(text) {
    var named = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t" };
    return '"' + text.replace(ESCAPED, function (char) {
      if (named[char]) { return named[char]; }
      var code = char.codePointAt(0);
      return code <= 0xFF ? "\\x" + hex(code, 2) : code <= 0xFFFF ? "\\u" + hex(code, 4) : "\\U" + hex(code, 8);
    }) + '"';
  }

  function scalar(text, indent) {
    if (isPlain(text)) { return [" " + text]; }
    if (isBlock(text)) {
      var pad = new Array(indent + 3).join(" ");
      return [" |-"].concat(text.split("\n").map(function (line) { return line ? pad + line : ""; }));
    }
    return [" " + quoted(text)];
  }

  function key(name) { return isPlain(name) ? name : quoted(name); }

  function spaces(n) { return new Array(n + 1).join(" "); }

  function mapping(map, layout, indent) {
    var known = layout ? layout.order : [];
    var keys = known.filter(function (k) { return Object.prototype.hasOwnProperty.call(map, k); })
      .concat(Object.keys(map).filter(function (k) { return known.indexOf(k) < 0; }));
    var lines = [];
    keys.forEach(function (k) {
      var inner = layout && layout.nested[k] ? layout.nested[k] : null;
      lines = lines.concat(entry(spaces(indent) + key(k) + ":", map[k], inner, indent));
    });
    return lines;
  }

  function entry(head, value, layout, indent) {
    if (value === null || value === undefined) { return head.trim() === "-" ? [head + " ~"] : [head]; }
    if (typeof value === "number" || typeof value === "boolean") { value = String(value); }
    if (typeof value === "string") {
      var written = scalar(value, indent);
      return [head + written[0]].concat(written.slice(1));
    }
    var dash = head.trim() === "-";
    if (Array.isArray(value)) {
      if (!value.length) { return [head + " []"]; }
      if (dash) {
        var inner = [];
        value.forEach(function (item) { inner = inner.concat(entry(spaces(indent + 2) + "-", item, layout, indent + 2)); });
        return [head + inner[0].slice(indent + 1)].concat(inner.slice(1));
      }
      var lines = [head];
      value.forEach(function (item) { lines = lines.concat(entry(spaces(indent) + "-", item, layout, indent)); });
      return lines;
    }
    if (!Object.keys(value).length) { return [head + " {}"]; }
    var fields = mapping(value, layout, indent + 2);
    if (dash) { return [head + fields[0].slice(indent + 1)].concat(fields.slice(1)); }
    return [head].concat(fields);
  }

  function oneLine(value) {
    return typeof value === "string" ? value.replace(UNSAFE_ALL, " ").split(/\s+/).filter(Boolean).join(" ") : "";
  }

  function headerLine(layout, data) {
    var name = oneLine(data[layout.name]) || oneLine(data.id);
    var label = layout.label.charAt(0).toUpperCase() + layout.label.slice(1);
    return name ? "# " + label + " — " + name : "# " + label;
  }

  /* The record's text: its comment lines (or a new one naming it), then its fields in the layout. */
  function dump(layout, data, header) {
    var lines = header && header.length ? header.slice() : [headerLine(layout, data)];
    return lines.concat(mapping(data, layout, 0)).join("\n") + "\n";
  }

  /* The comment lines that open a file, as fmt.py's `header_of` keeps them: a `%YAML` directive and the
     `---` that may come first are dropped, a comment after `---` kept. */
  function headerOf(text) {
    return opening(text.replace(/\r\n?/g, "\n").split("\n")).header;
  }
  function opening(lines) {
    var header = [], started = false;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].replace(/^[ \t]+|[ \t]+$/g, "");
      var marker = started ? null : /^---(?:[ \t]+(#.*))?$/.exec(line);
      if (marker) { started = true; line = marker[1] || ""; }
      else if (!started && /^%\S/.test(line)) { continue; }
      else if (line && line[0] !== "#") { return { first: i, header: header }; }
      if (line && line.indexOf(SCAFFOLD_HINT) !== 0) { header.push(line); }
    }
    return { first: lines.length, header: header };
  }

  /* The comments inside the record (below its first field), which the layout cannot keep, as
     "dòng 4: # …"; `help` is the help `handbook new` writes there, which it drops. A `#` starts a
     comment where cutting the line there leaves the values as they were: never one inside text. */
  function notesOf(text, data, load, help) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n"), notes = [], same = JSON.stringify(data);
    for (var i = opening(lines).first; i < lines.length; i++) {
      var line = lines[i], hash = /(^|[ \t])#/g, found;
      while ((found = hash.exec(line)) !== null) {
        var at = found.index + found[1].length, trial = lines.slice();
        trial[i] = line.slice(0, at);
        var kept;
        try { kept = JSON.stringify(load(trial.join("\n"))) === same; } catch (error) { kept = false; }
        if (kept) {
          var comment = line.slice(at).replace(/[ \t]+$/, "");
          if ((help || []).indexOf(comment) < 0) { notes.push("dòng " + (i + 1) + ": " + comment); }
          break;
        }
        hash.lastIndex = at + 1;
      }
    }
    return notes;
  }

  function read(text, yaml, help) {
    yaml = yaml || root.jsyaml;
    var schema = yaml.FAILSAFE_SCHEMA.extend({ implicit: [yaml.types.null] });   // text, or nothing
    function load(source) { return yaml.load(source, { schema: schema }) || {}; }
    var data = load(text);
    var header = headerOf(text), notes = text.indexOf("#") < 0 ? [] : notesOf(text, data, load, help);
    if (header.length) { data[HEADER] = header; }
    if (notes.length) { data[NOTES] = notes; }
    return data;
  }

  /* A Decap CMS format for one kind: read as the loader reads, write in the layout. */
  function format(layout) {
    return {
      fromFile: function (text) { return read(text, null, layout.help); },
      toFile: function (data) {
        var copy = {}, header = data[HEADER];
        Object.keys(data).forEach(function (k) { if (DERIVED.indexOf(k) < 0) { copy[k] = data[k]; } });
        return dump(layout, copy, Array.isArray(header) ? header : null);
      }
    };
  }

  var api = { isPlain: isPlain, quoted: quoted, dump: dump, read: read, headerOf: headerOf, format: format,
              HEADER: HEADER, NOTES: NOTES };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.HandbookLayout = api; }
}(typeof self !== "undefined" ? self : this));
