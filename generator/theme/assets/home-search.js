/* The home page's search box opens the site's search (Material's box, answered by the handbook's
 * worker) with what the reader typed, in place.
 *
 * The box (partials/home-search.html) is a plain form: without this script, pressing Enter reloads
 * the page with ?q=…, which Material reads and answers. With it, a tap or click on the box, the
 * first character typed, or Enter open Material's search (its toggle, as Material itself flips it)
 * and move the typing there, so every later keystroke is Material's own: the results follow the
 * typing as they do from the header. Focus alone does not open it, so that the keyboard can Tab
 * past the box. No inline script, no HTML from the text typed.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.hb-home-search");
  var toggle = document.getElementById("__search");
  var input = document.querySelector("input.md-search__input");
  if (!form || !toggle || !input) return;
  var box = form.querySelector("input[name=q]");

  function open() {
    var text = box.value;
    box.value = "";
    if (!toggle.checked) toggle.click();
    if (text) input.value = text;
    input.focus();      // Material asks its worker on focus…
    if (text) {         // …and on keyup: say that the text changed even if it already had focus
      var end = input.value.length;
      input.setSelectionRange(end, end);
      input.dispatchEvent(new KeyboardEvent("keyup", { key: "End", bubbles: true }));
    }
  }

  box.addEventListener("click", open);
  box.addEventListener("input", open);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    open();
  });
})();
