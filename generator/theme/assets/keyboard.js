// Keyboard use of Material's layout (WCAG 2.1.1 Keyboard, 2.4.7 Focus Visible).

// Tables wider than the screen scroll sideways inside Material's wrapper, which a keyboard
// cannot reach unless it takes focus (axe: scrollable-region-focusable). Each wrapper that
// overflows gets a Tab stop and a name; the others are left alone.
document$.subscribe(function () {
  var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
  function update() {
    wraps.forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Bảng cuộn ngang");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
});

// On phones and tablets the navigation is a drawer outside the screen, and its sections are
// panels faded out inside it, yet their links stay in the Tab order: focus would move where
// nobody sees it. The drawer, and the section panel that holds the focus, open while focus is
// inside them and close when it leaves.
(function () {
  var drawer = document.getElementById("__drawer");
  var sidebar = document.querySelector(".md-sidebar--primary");
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  if (!drawer || !sidebar) return;
  function set(toggle, open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }
  document.addEventListener("focusin", function (event) {
    if (!narrow.matches) return;
    var inside = sidebar.contains(event.target);
    set(drawer, inside);
    if (!inside) return;
    sidebar.querySelectorAll(".md-nav__item--nested").forEach(function (item) {
      var toggle = item.querySelector(":scope > .md-nav__toggle");
      var panel = item.querySelector(":scope > .md-nav");
      if (!toggle || !panel) return;
      var open = panel.contains(event.target);
      set(toggle, open);
      panel.setAttribute("aria-expanded", String(open));
    });
    // The browser scrolled the drawer sideways to show the panel before it slid in: undo that.
    sidebar.querySelectorAll(".md-sidebar__scrollwrap").forEach(function (wrap) { wrap.scrollLeft = 0; });
  });
})();

// A tooltip shown on focus or hover can be dismissed with Escape without moving either
// (WCAG 1.4.13 Content on Hover or Focus).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".md-tooltip2--active").forEach(function (tip) {
    tip.classList.remove("md-tooltip2--active");
  });
});
