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
  function say(button, found) {
    hide();
    var place = button.getBoundingClientRect();
    notice = document.createElement("div");
    notice.setAttribute("role", "alert");
    notice.className = "hb-refused";
    var width = Math.min(448, window.innerWidth - 16);
    notice.style.cssText = "position:fixed;z-index:10000;box-sizing:border-box;padding:.6rem 2.2rem .6rem .8rem;" +
      "background:#fff4f4;color:#8a1c1c;border:2px solid #c62828;border-radius:6px;font:14px/1.45 sans-serif;" +
      "box-shadow:0 2px 8px rgba(0,0,0,.2);width:" + width + "px;top:" + Math.round(place.bottom + 6) + "px;" +
      "left:" + Math.round(Math.max(8, Math.min(place.left, window.innerWidth - width - 8))) + "px";
    var head = document.createElement("strong");
    head.textContent = "Chưa lưu được: " + (found.length === 1 ? "một trường cần sửa" : found.length + " trường cần sửa") +
      " (viền đỏ).";
    var first = document.createElement("div");
    first.textContent = found[0].text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Đóng thông báo");
    close.style.cssText = "position:absolute;top:.2rem;right:.3rem;border:0;background:none;color:inherit;" +
      "font-size:1.3rem;cursor:pointer;padding:.1rem .4rem";
    close.addEventListener("click", hide);
    notice.append(head, first, close);
    document.body.appendChild(notice);
    var field = found[0].field, label = field.querySelector("label[for]");
    var input = (label && document.getElementById(label.htmlFor)) || field.querySelector("input, textarea, [tabindex]");
    field.scrollIntoView({ block: "center" });
    if (input) { input.focus({ preventScroll: true }); }
    watching = setInterval(function () { if (!faults().length) { hide(); } }, 500);   // fixed: the notice goes
  }
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button") : null;
    if (!button || button.textContent.trim() !== saveLabel()) { return; }
    var started = Date.now();
    hide();
    // Decap checks the fields as this click reaches its button (after this listener) and marks them as
    // it renders: look once that is done, and for a while after.
    setTimeout(function look() {
      var found = faults();
      if (found.length) { say(button, found); } else if (Date.now() - started < 2000) { setTimeout(look, 50); }
    }, 0);
  }, true);
  window.addEventListener("hashchange", hide);
  // Decap refuses such a save by rejecting a promise with nothing (no toast unless a required field is
  // empty): the notice above says it, the console need not report it as an error.
  window.addEventListener("unhandledrejection", function (event) {
    if (event.reason === undefined) { event.preventDefault(); }
  });

  // The id, which is also the file's name: made from the name as `handbook new` makes it (names.js), shown
  // as it is made, checked against the kind's other records, typed by hand if the editor prefers; fixed
  // once the record exists (a later edit of the name leaves it alone).
  var IdControl = window.createClass({
    getInitialState: function () { return { manual: false, taken: {} }; },
    // Decap asks its control whether to render again (by default only when its own value changed):
    // this one follows another field, the name.
    shouldComponentUpdate: function () { return true; },
    componentDidMount: function () { this.follow(); },
    componentDidUpdate: function () { this.follow(); },
    componentWillUnmount: function () { clearTimeout(this.timer); },
    isNew: function () { return !!(this.props.entry && this.props.entry.get("newRecord")); },
    follow: function () {
      if (!this.isNew()) { return; }
      if (!this.state.manual) {
        var entry = this.props.getEntry ? this.props.getEntry() : this.props.entry;
        var name = entry.getIn(["data", this.props.collection.get("identifier_field")]);
        var made = window.HandbookNames.slug(typeof name === "string" ? name : "");
        if (made !== (this.props.value || "")) { this.props.onChange(made); return; }
      }
      this.check(this.props.value || "");
    },
    check: function (id) {     // does the kind have a record of this id? (its file, by name)
      var self = this, collection = this.props.collection.get("name");
      if (!id || id in this.state.taken || id === this.checking) { return; }
      this.checking = id;
      clearTimeout(this.timer);
      this.timer = setTimeout(function () {
        Promise.resolve(self.props.query(self.props.forID + "-id", collection, ["id"], id, id, 1)).then(function (action) {
          var hits = (action && action.payload && action.payload.hits) || [];
          var taken = {}; taken[id] = hits.some(function (hit) { return hit.slug === id; });
          self.setState(function (state) { return { taken: Object.assign({}, state.taken, taken) }; });
        }).catch(function () { self.checking = null; });
      }, 300);
    },
    isValid: function () {
      var id = this.props.value;
      if (this.isNew() && id && this.state.taken[id]) {
        return { error: { type: "CUSTOM", message: "Đã có " + (this.props.collection.get("label_singular") || "bản ghi") +
          " mang mã “" + id + "”: sửa mã cho khác (ví dụ thêm tên tỉnh hoặc năm)" } };
      }
      return true;
    },
    render: function () {
      var self = this, fresh = this.isNew(), id = this.props.value || "";
      var note = !fresh ? "Mã không đổi sau khi tạo: đó là tên tệp của bản ghi." :
        this.state.taken[id] ? "Mã này đã có; sửa lại cho khác." :
        this.state.manual ? "Mã do bạn gõ; xóa hết để lấy lại mã tự tạo từ tên." : "Mã tự tạo từ tên; có thể sửa.";
      return h("div", null,
        h("input", { id: this.props.forID, type: "text", value: id, readOnly: !fresh, spellCheck: false,
                     className: this.props.classNameWrapper, autoComplete: "off",
                     onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
                     onChange: function (event) {
                       self.setState({ manual: event.target.value !== "" });
                       self.props.onChange(event.target.value);
                     } }),
        h("p", { className: "hb-id-note", style: { margin: ".3rem 0 0", fontSize: "13px", color: "#555" } }, note));
    }
  });
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

  // The preview's style as text (cms.py puts preview.css on this tag): nothing to fetch when the preview
  // is drawn again after a save, so it never shows unstyled.
  CMS.registerPreviewStyle((script && script.getAttribute("data-preview-style")) || "", { raw: true });
  collections.forEach(function (name) { CMS.registerPreviewTemplate(name, RecordPreview); });
  CMS.init();     // everything above registered (before-cms.js held the CMS back until now)
}());
