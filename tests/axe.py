"""axe-core, run in a Playwright page, for the accessibility checks of the site and the bundles.

axe-core comes from the npm registry, pinned in tests/a11y/package-lock.json and installed
by `npm ci` in tests/a11y (.ci/run does it); it is never fetched from a CDN. The script is
injected from that local file into each page. A page's Content-Security-Policy would refuse
an injected script, so the contexts that run axe are opened with `bypass_csp=True`
(for these checks only: every other browser test sees the policy as readers do).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG 2.0 and 2.1, levels A and AA.
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def require_axe() -> Path:
    """The local axe.min.js; without it skip, or fail when HANDBOOK_REQUIRE_BROWSER=1 (CI)."""
    if AXE.is_file():
        return AXE
    reason = f"{AXE.relative_to(Path(__file__).parent.parent)} is missing: run `npm ci` in tests/a11y"
    if os.environ.get("HANDBOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HANDBOOK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def violations(page, where: str) -> list[str]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now, one line per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG21_AA)
    return [f"{where}: {v['id']} ({v['impact']}) {node['target']}: "
            + " / ".join(node["failureSummary"].splitlines()[1:]).strip()
            for v in result["violations"] for node in v["nodes"]]
