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
    if (meta) {
      var names = field.get("search_fields").toJS().filter(function (k) { return k !== "id"; })
        .map(function (k) { return meta.get(k); }).filter(Boolean);
      if (names.length) { return names.join(" ") + " (" + id + ")"; }
    }
    return id;
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
    ui: { settingsDropdown: { account: "Tài khoản" } }
  };
  function fill(target, extra) {
    Object.keys(extra).forEach(function (key) {
      if (typeof extra[key] === "object") { target[key] = fill(target[key] || {}, extra[key]); }
      else if (!(key in target)) { target[key] = extra[key]; }
    });
    return target;
  }
  if (CMS.getLocale && CMS.getLocale("vi")) {
    var vi = fill(CMS.getLocale("vi"), missing);
    vi.collection.collectionTop.newButton = "Thêm %{collectionLabel}";   // in words, not "＋"
    CMS.registerLocale("vi", vi);
  }

  // Files read as the handbook's loader reads them and written in `handbook fmt`'s layout (layout.js),
  // one format per collection: what a kind's files look like comes from the schema, on this tag.
  var layouts = JSON.parse((script && script.getAttribute("data-layout")) || "{}");
  Object.keys(layouts).forEach(function (name) {
    CMS.registerCustomFormat("handbook-" + name, "yaml", window.HandbookLayout.format(layouts[name]));
  });

  CMS.registerPreviewStyle("preview.css");
  collections.forEach(function (name) { CMS.registerPreviewTemplate(name, RecordPreview); });
}());
