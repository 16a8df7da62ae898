// The search worker answers "nothing matches" with one item that offers a way on (the nearest
// words in the index, the glossary). Material's header counts items, so it would say
// "1 tài liệu liên quan" above it: say that nothing was found instead.
(function () {
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  var NONE = "Không tìm thấy tài liệu liên quan";
  if (!meta || !list) return;
  function correct() {
    var items = list.children;
    var nothing = items.length === 1 && items[0].textContent.trim().indexOf("Không tìm thấy trang nào") === 0;
    if (nothing && meta.textContent !== NONE) meta.textContent = NONE;
  }
  new MutationObserver(correct).observe(list, { childList: true });
  new MutationObserver(correct).observe(meta, { childList: true, characterData: true, subtree: true });
})();
