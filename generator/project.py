"""The project's places, read once from mkdocs.yml and passed down.

A project is a folder holding mkdocs.yml, the records (the handbook plugin's `data_dir`,
`data/` by default) and the hand-written pages (MkDocs' `docs_dir`: `content/` in the
handbook's configuration), built into `site_dir`. The command line reads them here and hands
them to the pipeline, the build, the bundle, the print and the ZIM; the plugin takes them from
the configuration MkDocs loaded, by the same rule (`of_config`). A folder of records alone (no
mkdocs.yml, as in the tests' small handbooks) has `data/` and `content/` beside each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .engine import yaml_load

CONFIG = "mkdocs.yml"
#: The plugin's name in mkdocs.yml, and its option naming the records' folder.
PLUGIN, DATA_OPTION, DATA_DEFAULT = "handbook", "data_dir", "data"


@dataclass(frozen=True)
class Project:
    root: Path
    config_file: Path
    data: Path              # the records, data/<kind>/<id>.yaml
    content: Path           # the hand-written pages and pictures (docs_dir)
    site: Path              # where `handbook build` writes the site by default (site_dir)
    #: mkdocs.yml as read, for the commands that build their own configuration from it (bundle,
    #: print, zim: site name, navigation, plugins); empty without the file.
    settings: Mapping = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def read(cls, root: Path) -> Project:
        """The project at `root`, from its mkdocs.yml (MkDocs' loader: `!ENV`, `INHERIT`)."""
        config_file = root / CONFIG
        if not config_file.is_file():
            return cls(root, config_file, root / DATA_DEFAULT, root / "content", root / "site")
        with open(config_file, "rb") as handle:
            settings = yaml_load(handle) or {}
        return cls(root, config_file, root / _data_option(settings.get("plugins")),
                   root / settings.get("docs_dir", "docs"), root / settings.get("site_dir", "site"), settings)

    @classmethod
    def of_config(cls, config, data_dir: str) -> Project:
        """The project of a configuration MkDocs loaded (the plugin's view; `data_dir` its option)."""
        config_file = Path(config.config_file_path)
        root = config_file.parent
        return cls(root, config_file, root / data_dir, Path(config.docs_dir), Path(config.site_dir))

    def resolved(self) -> Project:
        """The same places as absolute paths, for a build in a temporary folder (the project's folder
        with its links resolved, the pages' folder wholly resolved)."""
        root = self.root.resolve()

        def inside(path: Path) -> Path:
            return root / path.relative_to(self.root) if path.is_relative_to(self.root) else path.resolve()
        return dataclasses.replace(self, root=root, config_file=inside(self.config_file), data=inside(self.data),
                                   content=self.content.resolve(), site=inside(self.site))


def _data_option(plugins) -> str:
    """The handbook plugin's `data_dir` in mkdocs.yml's `plugins` (a list, or a mapping by name)."""
    items = plugins.items() if isinstance(plugins, Mapping) else \
        [next(iter(p.items())) if isinstance(p, Mapping) else (p, None) for p in plugins or ()]
    for name, options in items:
        if name == PLUGIN and isinstance(options, Mapping) and options.get(DATA_OPTION):
            return str(options[DATA_OPTION])
    return DATA_DEFAULT
