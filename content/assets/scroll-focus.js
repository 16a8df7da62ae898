// Tables wider than the screen scroll sideways inside Material's wrapper, which a keyboard
// cannot reach unless it takes focus (WCAG 2.1.1; axe: scrollable-region-focusable).
// Each wrapper that overflows gets a Tab stop and a name; the others are left alone.
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
