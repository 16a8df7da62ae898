// Material's header counts the items the search worker sent back ("31 tài liệu liên quan"). The
// worker answers "nothing matches" with one item that offers a way on (the nearest words in the
// index, the glossary): say that nothing was found instead. And it sends at most 31 pages, one past
// the 30 it can vouch for: say "hơn 30", not a count that is only a cap.
(function () {
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  var NONE = "Không tìm thấy tài liệu liên quan", MORE = "Hơn 30 tài liệu liên quan", CAP = 30;
  if (!meta || !list) return;
  function correct() {
    var items = list.children;
    var nothing = items.length === 1 && items[0].textContent.trim().indexOf("Không tìm thấy trang nào") === 0;
    var count = parseInt(meta.textContent, 10);
    var said = nothing ? NONE : count > CAP ? MORE : null;
    if (said && meta.textContent !== said) meta.textContent = said;
  }
  new MutationObserver(correct).observe(list, { childList: true });
  new MutationObserver(correct).observe(meta, { childList: true, characterData: true, subtree: true });
})();
