"""The one place the handbook meets its site engine: MkDocs 1.6, or ProperDocs, its maintained fork.

MkDocs 1.6 is no longer maintained; ProperDocs continues the 1.6 line under its own name and,
once `properdocs.replacement` is imported, answers every `mkdocs.*` import itself, so the theme
(Material imports `mkdocs.*`) and the handbook run on the same engine. Every other module takes
the engine's names from here, never from `mkdocs` directly.

Which engine: the one already running us (`mkdocs build` or `properdocs build`); otherwise the
one `HANDBOOK_ENGINE` names (`mkdocs` or `properdocs`); otherwise MkDocs if it is installed,
else ProperDocs. Both read `mkdocs.yml`.
"""

from __future__ import annotations

import importlib.util
import os
import sys

ENGINES = ("mkdocs", "properdocs")


def _choose() -> str:
    running = sys.modules.get("mkdocs")
    if running is not None:
        return running.__name__     # "properdocs" once its replacement has taken the name
    wanted = os.environ.get("HANDBOOK_ENGINE", "").strip().lower()
    if wanted and wanted not in ENGINES:
        raise SystemExit(f"HANDBOOK_ENGINE={wanted!r} không hợp lệ: chỉ nhận {' hoặc '.join(ENGINES)}.")
    for name in ([wanted] if wanted else ENGINES):
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit(f"Chưa cài {wanted or 'MkDocs hay ProperDocs'}: chạy python3 requirements/install.py "
                     "(lệnh đầu tiên của README).")


NAME = _choose()
if NAME == "properdocs":
    import properdocs.replacement  # noqa: F401  (from here on, `mkdocs.*` is ProperDocs)

from mkdocs import __version__ as VERSION  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.commands.serve import serve  # noqa: E402
from mkdocs.config import base, load_config  # noqa: E402
from mkdocs.config import config_options  # noqa: E402
from mkdocs.exceptions import ConfigurationError, MkDocsException, PluginError  # noqa: E402
from mkdocs.plugins import BasePlugin, event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.utils.meta import get_data as front_matter  # noqa: E402
from mkdocs.utils.yaml import yaml_load  # noqa: E402

# The engine's loggers are named after it; its strict mode counts the warnings logged under them.
LOGGER = NAME

__all__ = ["NAME", "VERSION", "LOGGER", "build", "serve", "base", "load_config", "config_options",
           "ConfigurationError", "MkDocsException", "PluginError", "BasePlugin", "event_priority", "File", "Files",
           "front_matter", "yaml_load"]
