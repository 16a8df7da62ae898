/* What the handbook adds to Decap CMS at /admin/:
   - before saving, the record as an editor would write it by hand: text in Unicode NFC,
     no field left empty (Decap writes `field: ""` once a field was touched and cleared,
     which the validator refuses as blank text), no empty list or list item;
   - a preview like the record's page: heading, facts table, related records by name.
   Text is always text (React escapes it), never markup. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h;
  if (!CMS || !h) { return; }
  // The collections, one per record kind, as the page names them (cms.py): a new kind gets the preview too.
  var script = document.currentScript;
  var collections = ((script && script.getAttribute("data-collections")) || "").split(" ").filter(Boolean);

  function plain(value) {
    if (value === null || value === undefined) { return ""; }
    if (value && typeof value.toJS === "function") { value = value.toJS(); }
    return Array.isArray(value) ? value.map(plain).join(", ") : String(value);
  }

  // The related record's name, as the relation widget fetched it; the id otherwise.
  function named(props, field, id) {
    var meta = props.fieldsMetaData && props.fieldsMetaData.getIn([field.get("name"), field.get("collection"), id]);
    var name = meta && meta.get("_name");       // given by the format as it read the record (below)
    return name ? name + " (" + id + ")" : id;
  }

  function cell(props, field, value) {
    var widget = field.get("widget");
    if (value === null || value === undefined || value === "") { return null; }
    if (widget === "relation") {
      var ids = value && typeof value.toJS === "function" ? value.toJS() : [value];
      ids = Array.isArray(ids) ? ids : [ids];
      if (!ids.length) { return null; }
      return h("ul", null, ids.map(function (id) { return h("li", { key: id }, named(props, field, id)); }));
    }
    if (widget === "list") {
      var items = value.toJS ? value.toJS() : value;
      if (!items.length) { return null; }
      var sub = field.get("fields");
      return h("ul", null, items.map(function (item, i) {
        if (!sub) { return h("li", { key: i }, plain(item)); }
        var parts = sub.toJS().filter(function (f) { return item[f.name]; })
          .map(function (f) { return f.label + ": " + plain(item[f.name]); });
        return h("li", { key: i }, parts.join(" · "));
      }));
    }
    return plain(value);
  }

  function RecordPreview(props) {
    var data = props.entry.get("data");
    var collection = props.collection;
    var nameField = collection.get("identifier_field");
    var rows = [];
    collection.get("fields").forEach(function (field) {
      var name = field.get("name");
      if (name === nameField) { return; }
      var shown = cell(props, field, data.get(name));
      if (shown !== null && shown !== "") {
        rows.push(h("tr", { key: name }, h("th", { scope: "row" }, field.get("label")), h("td", null, shown)));
      }
    });
    return h("article", { className: "hb-record" },
      h("p", { className: "hb-kind" }, collection.get("label_singular") || collection.get("label")),
      h("h1", null, plain(data.get(nameField)) || plain(data.get("id")) || "(chưa có tên)"),
      h("table", { className: "hb-facts" }, h("tbody", null, rows)));
  }

  // Immutable values (Map, List) as the CMS holds them: blanks dropped, text in NFC.
  function blank(value) {
    return value === null || value === undefined || value === "" ||
      (value && typeof value.toJS === "function" && value.size === 0);
  }
  function tidy(value) {
    if (typeof value === "string") { return value.normalize("NFC"); }
    if (value && typeof value.toJS === "function") {
      return value.map(tidy).filter(function (item) { return !blank(item); });
    }
    return value;
  }
  CMS.registerEventListener({ name: "preSave", handler: function (event) {
    var id = event.entry.getIn(["data", "id"]);
    if (event.entry.get("newRecord") && live && !live.cleared(id)) {      // never a file named other than its id
      throw new Error("chưa kiểm tra được mã “" + id + "” có trùng với bản ghi khác không; bấm Lưu lại");
    }
    return tidy(event.entry.get("data"));
  } });

  // Phrases Decap's Vietnamese translation lacks (it falls back to English) that these forms show.
  var missing = {
    collection: { collectionTop: { viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới",
                                   groupBy: "Nhóm theo" },
                  entries: { unpublishedHeader: "Bản ghi chưa công bố" } },
    editor: {
      editorControl: { field: { widgetLabel: "trường %{widgetLabel}" } },
      editorInterface: { togglePreview: "Bật, tắt xem trước", toggleScrollSync: "Cuộn cùng nhau" },
      editorToolbar: {
        statusInfoTooltipDraft: "Đang là bản nháp. Để gửi duyệt, chuyển trạng thái sang “Đang xét duyệt”.",
        statusInfoTooltipInReview: "Đang được xét duyệt; vẫn có thể sửa tiếp trong lúc chờ." },
      editorWidgets: { list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
                       object: { expand: "Mở ra", collapse: "Thu gọn" } } },
    ui: { settingsDropdown: { account: "Tài khoản" } },
    mediaLibrary: { mediaLibraryCard: { copy: "Sao chép", copyUrl: "Sao chép địa chỉ", copyPath: "Sao chép đường dẫn",
                                        copyName: "Sao chép tên", copied: "Đã sao chép" },
                    mediaLibraryModal: { close: "Đóng" } }
  };
  // Phrases it has in English, or in a form Vietnamese readers do not use.
  var replaced = {
    collection: { collectionTop: { viewAs: "Xem dạng", newButton: "Thêm %{collectionLabel}" },   // in words, not "＋"
                  groups: { other: "Khác", negateLabel: "Không phải %{label}" } },
    editor: { editorToolbar: { status: "Trạng thái: %{status}" } },     // Decap's says "Trạng:", half a word
    // The review board's dates: 7/12/2026, not "December 7" (Decap's Vietnamese keeps English month names).
    workflow: { workflow: { dateFormat: "D/M/YYYY" } }
  };
  function replace(target, extra) {
    Object.keys(extra).forEach(function (key) {
      if (typeof extra[key] === "object") { target[key] = replace(target[key] || {}, extra[key]); }
      else { target[key] = extra[key]; }
    });
    return target;
  }
  function fill(target, extra) {
    Object.keys(extra).forEach(function (key) {
      if (typeof extra[key] === "object") { target[key] = fill(target[key] || {}, extra[key]); }
      else if (!(key in target)) { target[key] = extra[key]; }
    });
    return target;
  }
  if (CMS.getLocale && CMS.getLocale("vi")) {
    CMS.registerLocale("vi", replace(fill(CMS.getLocale("vi"), missing), replaced));
  }

  // Files read as the handbook's loader reads them and written in `handbook fmt`'s layout (layout.js),
  // one format per collection: what a kind's files look like comes from the schema, on this tag.
  // Each record read also gets its name as a reader knows it, and that name without diacritics, for the
  // pickers (cms_config.NAME_KEY, SEARCH_KEY); organs and provinces named by their names at build time.
  var layouts = JSON.parse((script && script.getAttribute("data-layout")) || "{}");
  var names = JSON.parse((script && script.getAttribute("data-names")) || "{}");
  Object.keys(layouts).forEach(function (folder) {
    var format = window.HandbookLayout.format(layouts[folder]), Names = window.HandbookNames;
    CMS.registerCustomFormat("handbook-" + folder, "yaml", {
      fromFile: function (text) {
        var data = format.fromFile(text);
        data._name = Names.label(folder, layouts[folder], data, names);
        data._search = Names.searchable(data._name, data.id);
        return data;
      },
      toFile: format.toFile
    });
  });

  // A save the form refuses, said where the editor looks: beside the Save button, in words, and the
  // first field at fault brought into view with the cursor in it (Decap only marks the fields, maybe
  // far above, and its notice for missing fields fades).
  var notice = null, watching = null;
  function saveLabel() {
    var vi = CMS.getLocale && CMS.getLocale("vi");
    return (vi && vi.editor && vi.editor.editorToolbar && vi.editor.editorToolbar.save) || "Lưu";
  }
  function faults() {
    var seen = [];
    document.querySelectorAll('[class*="ControlErrorsList"] li').forEach(function (item) {
      var field = item.closest('[class*="ControlContainer"]');
      if (field && !seen.some(function (f) { return f.field === field; })) { seen.push({ field: field, text: item.textContent }); }
    });
    return seen;
  }
  function hide() {
    if (notice) { notice.remove(); notice = null; }
    if (watching) { clearInterval(watching); watching = null; }
  }
  // A notice under the button: `head` in bold, then `text`; `field` (a field's box) brought into view with
  // the cursor in it. It scrolls with the page (never stays over the fields) and goes once nothing is at
  // fault any more (`until`).
  function say(button, head, text, field, until) {
    hide();
    var place = button.getBoundingClientRect();
    notice = document.createElement("div");
    notice.setAttribute("role", "alert");
    notice.className = "hb-refused";
    var width = Math.min(448, window.innerWidth - 16);
    notice.style.cssText = "position:absolute;z-index:10000;box-sizing:border-box;padding:.6rem 2.2rem .6rem .8rem;" +
      "background:#fff4f4;color:#8a1c1c;border:2px solid #c62828;border-radius:6px;font:14px/1.45 sans-serif;" +
      "box-shadow:0 2px 8px rgba(0,0,0,.2);width:" + width + "px;top:" + Math.round(place.bottom + window.scrollY + 6) +
      "px;left:" + Math.round(window.scrollX + Math.max(8, Math.min(place.left, window.innerWidth - width - 8))) + "px";
    var strong = document.createElement("strong");
    strong.textContent = head;
    var first = document.createElement("div");
    first.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Đóng thông báo");
    close.style.cssText = "position:absolute;top:.2rem;right:.3rem;border:0;background:none;color:inherit;" +
      "font-size:1.3rem;cursor:pointer;padding:.1rem .4rem";
    close.addEventListener("click", hide);
    notice.append(strong, first, close);
    document.body.appendChild(notice);
    if (field) {
      var label = field.querySelector("label[for]");
      var input = (label && document.getElementById(label.htmlFor)) || field.querySelector("input, textarea, [tabindex]");
      field.scrollIntoView({ block: "center" });
      if (input) { input.focus({ preventScroll: true }); }
    }
    if (until) { watching = setInterval(function () { if (until()) { hide(); } }, 500); }
  }
  function refused(button, found) {
    say(button, "Chưa lưu được: " + (found.length === 1 ? "một trường cần sửa" : found.length + " trường cần sửa") +
      " (viền đỏ).", found[0].text, found[0].field, function () { return !faults().length; });
  }
  function stop(event) { event.preventDefault(); event.stopImmediatePropagation(); }
  var holding = false, tries = 0, warned = null;
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button") : null;
    if (!button || button.textContent.trim() !== saveLabel()) { return; }
    if (holding) { stop(event); return; }       // a second click while the first waits: the first saves
    hide();
    // First the id made from the name and its check answered (Decap's own checks would run on the id
    // as it was drawn, maybe empty, and it saves a taken id under "<id>-1"): then the same click again.
    var wait = live && live.settle();
    if (wait && tries < 3) {
      stop(event);
      holding = true;
      tries += 1;
      wait.then(function () {
        holding = false;
        if (button.isConnected) { button.click(); }
      });
      return;
    }
    tries = 0;
    if (wait) {
      stop(event);
      say(button, "Chưa lưu được: chưa kiểm tra được mã.", "Không hỏi được danh sách bản ghi để biết mã đã có chưa; " +
        "kiểm tra kết nối rồi bấm Lưu lại.");
      return;
    }
    // A file with comments inside the record: the form cannot keep them; said before they are lost, and
    // a second Save goes ahead.
    var notes = live && live.notes(), key = notes && (live.props.entry.get("path") || "") + notes.length;
    if (notes && warned !== key) {
      stop(event);
      warned = key;
      say(button, "Lưu sẽ bỏ chú thích của tệp.", "Tệp này có chú thích nằm giữa bản ghi (" + notes.join("; ") +
        "): biểu mẫu chỉ giữ chú thích ở đầu tệp. Bấm Lưu lần nữa để lưu và bỏ chú thích đó, hoặc sửa tệp " +
        "bằng tay, chuyển chú thích lên đầu tệp (trước dòng `id:`).");
      return;
    }
    var started = Date.now();
    // Decap checks the fields as this click reaches its button (after this listener) and marks them as
    // it renders: look once that is done, and for a while after.
    setTimeout(function look() {
      var found = faults();
      if (found.length) { refused(button, found); } else if (Date.now() - started < 2000) { setTimeout(look, 50); }
    }, 0);
  }, true);
  // A notice the editor scrolls away from goes (the fields stay marked): it never covers them.
  ["wheel", "touchmove"].forEach(function (name) { window.addEventListener(name, hide, { passive: true }); });
  window.addEventListener("hashchange", hide);
  // Decap refuses such a save by rejecting a promise with nothing (no toast unless a required field is
  // empty): the notice above says it, the console need not report it as an error.
  window.addEventListener("unhandledrejection", function (event) {
    if (event.reason === undefined) { event.preventDefault(); }
  });

  // The id, which is also the file's name: made from the name as `handbook new` makes it (names.js), shown
  // as it is made, checked against the kind's other records, typed by hand if the editor prefers; fixed
  // once the record exists (a later edit of the name leaves it alone).
  // Decap draws a control again only when its own value changes, never for another field's: the control
  // follows the name's box as it is typed (an input listener), not its own redraws, and Save first makes
  // the id from the name as it stands and waits for the check of that id (`settle`, below).
  var live = null;      // the id control of the form on screen
  var IdControl = window.createClass({
    componentDidMount: function () {
      var self = this;
      live = this;
      this.taken = {};          // id → whether the kind has a record of it (answered checks)
      this.asked = {};          // id → the pending check's promise
      // After the name's own control has taken the keystroke (a change of the id drawn in between would
      // draw the name box again with its value before it).
      this.typing = function (event) {
        if (event.target === self.nameBox()) { setTimeout(function () { if (live === self) { self.follow(self.name()); } }, 0); }
      };
      document.addEventListener("input", this.typing, true);
      this.made = window.HandbookNames.slug(this.name());
      this.follow(this.name());
    },
    componentWillUnmount: function () {
      if (live === this) { live = null; }
      document.removeEventListener("input", this.typing, true);
      clearTimeout(this.timer);
    },
    isNew: function () { return !!(this.props.entry && this.props.entry.get("newRecord")); },
    nameBox: function () {
      var field = this.props.collection.get("identifier_field");
      return document.querySelector('[id^="' + field + '-field-"]');
    },
    name: function () {         // as typed (the box), else as the form holds it
      var box = this.nameBox();
      if (box && typeof box.value === "string") { return box.value; }
      var name = this.props.entry && this.props.entry.getIn(["data", this.props.collection.get("identifier_field")]);
      return typeof name === "string" ? name : "";
    },
    // The id the name makes, unless the editor typed another (an id that is neither empty nor the one
    // made from the name before); returns the id the record will have.
    follow: function (name, current) {
      var id = current === undefined ? this.props.value || "" : current;
      if (!this.isNew()) { return id; }
      var made = window.HandbookNames.slug(name);
      if (id === "" || id === this.made) {
        this.made = made;
        if (made !== id) { this.props.onChange(made); id = made; }
      }
      this.later(id);
      return id;
    },
    later: function (id) {      // check while the editor types, once the typing pauses
      var self = this;
      clearTimeout(this.timer);
      if (!id || id in this.taken) { return; }
      this.timer = setTimeout(function () { self.ask(id); }, 300);
    },
    ask: function (id) {        // does the kind have a record of this id? (its file, by name)
      var self = this, collection = this.props.collection.get("name");
      if (id in this.taken) { return Promise.resolve(); }
      if (!this.asked[id]) {
        this.asked[id] = Promise.resolve(this.props.query(this.props.forID + "-id", collection, ["id"], id, id, 1))
          .then(function (action) {
            var hits = (action && action.payload && action.payload.hits) || [];
            self.taken[id] = hits.some(function (hit) { return hit.slug === id; });
            if (live === self) { self.forceUpdate(); }
          }, function () { /* not answered: asked again at the next Save */ })
          .then(function () { delete self.asked[id]; });
      }
      return this.asked[id];
    },
    // What a Save must wait for: the id made from the name as it stands, its check answered. Null when
    // nothing is left to wait for.
    settle: function () {
      if (!this.isNew()) { return null; }
      var before = this.props.value || "", id = this.follow(this.name());
      clearTimeout(this.timer);
      var waits = [];
      if (id !== before) { waits.push(shown(this.props.forID, id)); }
      if (id && !(id in this.taken)) { waits.push(this.ask(id)); }
      return waits.length ? Promise.all(waits) : null;
    },
    // Saved only with an id whose check said no other record has it (Decap would otherwise save the
    // file under "<id>-1" while the record inside says "<id>").
    notes: function () {      // the comments inside the record its file had (layout.js), as "dòng 4: # …"
      var notes = this.props.entry && this.props.entry.getIn(["data", window.HandbookLayout.NOTES]);
      notes = notes && typeof notes.toJS === "function" ? notes.toJS() : notes;
      return Array.isArray(notes) && notes.length ? notes : null;
    },
    cleared: function (id) { return !this.isNew() || this.taken[id] === false; },
    isValid: function () {
      var id = this.props.value, refused = id && window.HandbookNames.refusal(id);
      if (refused) { return { error: { type: "CUSTOM", message: refused + ": sửa mã cho khác" } }; }
      if (this.isNew() && id && this.taken && this.taken[id]) {
        return { error: { type: "CUSTOM", message: "Đã có " + (this.props.collection.get("label_singular") || "bản ghi") +
          " mang mã “" + id + "”: sửa mã cho khác (ví dụ thêm tên tỉnh hoặc năm)" } };
      }
      return true;
    },
    render: function () {
      var self = this, fresh = this.isNew(), id = this.props.value || "", taken = this.taken || {};
      var manual = id !== "" && id !== this.made;
      var note = !fresh ? "Mã không đổi sau khi tạo: đó là tên tệp của bản ghi." :
        taken[id] ? "Mã này đã có; sửa lại cho khác." :
        manual ? "Mã do bạn gõ; xóa hết để lấy lại mã tự tạo từ tên." : "Mã tự tạo từ tên; có thể sửa.";
      return h("div", null,
        h("input", { id: this.props.forID, type: "text", value: id, readOnly: !fresh, spellCheck: false,
                     className: this.props.classNameWrapper, autoComplete: "off",
                     onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
                     onChange: function (event) {
                       var typed = event.target.value;
                       self.props.onChange(typed);
                       if (typed === "") { self.follow(self.name(), typed); } else { self.later(typed); }
                     } }),
        h("p", { className: "hb-id-note", style: { margin: ".3rem 0 0", fontSize: "13px", color: "#555" } }, note));
    }
  });
  // Until the box `id` shows `value` (drawn again after onChange), for at most two seconds.
  function shown(id, value) {
    return new Promise(function (resolve) {
      var started = Date.now();
      (function look() {
        var box = document.getElementById(id);
        if (!box || box.value === value || Date.now() - started > 2000) { resolve(); } else { setTimeout(look, 20); }
      }());
    });
  }
  CMS.registerWidget("handbook-id", IdControl, function (props) { return h("span", null, props.value || ""); });

  // A date, whole or partial: its form is the schema's pattern (config.yml); a day the month does not
  // have (2021-02-29) is refused here too, in the validator's words (dates.py).
  var DateControl = window.createClass({
    isValid: function () {
      var text = this.props.value, match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text || "");
      if (!match) { return true; }
      var year = +match[1], month = +match[2], day = +match[3];
      if (month < 1 || month > 12 || day <= new Date(Date.UTC(year, month, 0)).getUTCDate()) { return true; }
      return { error: { type: "CUSTOM", message: "ngày “" + text + "” không tồn tại (tháng " + month + " năm " + year +
        " không có ngày " + day + ")" } };
    },
    render: function () {
      var self = this;
      return h("input", { id: this.props.forID, type: "text", value: this.props.value || "", inputMode: "numeric",
                          placeholder: "NNNN-TT-NN", className: this.props.classNameWrapper, autoComplete: "off",
                          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
                          onChange: function (event) { self.props.onChange(event.target.value); } });
    }
  });
  CMS.registerWidget("handbook-date", DateControl, function (props) { return h("span", null, props.value || ""); });

  // Text as the validator takes it, before saving: the patterns the JSON Schemas give each field
  // (cms.py's text_rules, from editor_schema.py), said in words: which character, at which column.
  var rules = JSON.parse((script && script.getAttribute("data-text")) || "{}");
  var NOT_TEXT = new RegExp("[" + (rules.notText || "") + "]", "u"), compiled = {};
  function matches(pattern, text) {
    compiled[pattern] = compiled[pattern] || new RegExp(pattern, "u");
    return compiled[pattern].test(text);
  }
  function code(char) { return "U+" + ("000" + char.codePointAt(0).toString(16).toUpperCase()).slice(-4); }
  // Why `text` breaks one of `patterns` (null when it breaks none), in the validator's words.
  function textFault(text, patterns) {
    if (typeof text !== "string" || text === "" || !patterns) { return null; }
    if (patterns.every(function (p) { return matches(p, text); })) { return null; }
    var line = 1, column = 0, lines = text.indexOf("\n") >= 0, where;
    for (var char of text) {
      column += 1;
      where = (lines ? "dòng " + line + ", " : "") + "cột " + column;
      if (char === "\n") { line += 1; column = 0; continue; }
      if (char !== "\t" && NOT_TEXT.test(char)) {
        return "có ký tự không in được hoặc vô hình " + code(char) + " ở " + where + ": xóa ký tự này (con trỏ đi " +
          "qua nó mà không thấy gì) hoặc gõ lại đoạn này; khi dán từ PDF, Word, hãy dán dưới dạng chữ thuần";
      }
    }
    var shown = text.replace(/^[\s\u2800]+/u, "");
    if (!shown.trim()) { return "chỉ có khoảng trắng: điền nội dung, hoặc xóa hết nếu trường không bắt buộc"; }
    if (/^\p{M}/u.test(shown)) {
      return "bắt đầu bằng một dấu (dấu thanh, dấu mũ…) không gắn với chữ cái nào: gõ lại chữ cái mang dấu này";
    }
    if (!/[\p{L}\p{N}]/u.test(text)) { return "tên không có chữ cái hay chữ số nào, trông như để trống"; }
    column = 0;
    for (var letter of text) {
      column += 1;
      if (/[\p{L}\p{N}]/u.test(letter) && !patterns.every(function (p) { return matches(p, letter); })) {
        return "tên có chữ “" + letter + "” (" + code(letter) + ", cột " + column + ") của hệ chữ khác: gõ lại bằng " +
          "chữ Quốc ngữ (chữ Latinh) hoặc chữ Hán";
      }
    }
    return "chưa đúng quy tắc của trường này (xem hướng dẫn dưới tên trường)";
  }
  function patternsOf(props) {
    var fields = (rules.fields || {})[props.collection && props.collection.get("name")] || {};
    return fields[props.field && props.field.get("name")] || null;
  }
  // Decap's own text widgets, each with the check above (Decap asks a control's isValid as it saves).
  ["string", "text"].forEach(function (name) {
    var base = CMS.getWidget && CMS.getWidget(name);
    if (!base) { return; }
    var Checked = window.createClass({
      isValid: function () {
        var fault = textFault(this.props.value, patternsOf(this.props));
        return fault ? { error: { type: "CUSTOM", message: fault } } : true;
      },
      render: function () { return h(base.control, this.props); }
    });
    CMS.registerWidget(name, Checked, base.preview);
  });

  // The preview's style as text (cms.py puts preview.css on this tag): nothing to fetch when the preview
  // is drawn again after a save, so it never shows unstyled.
  CMS.registerPreviewStyle((script && script.getAttribute("data-preview-style")) || "", { raw: true });
  collections.forEach(function (name) { CMS.registerPreviewTemplate(name, RecordPreview); });
  CMS.init();     // everything above registered (before-cms.js held the CMS back until now)
}());
