"""Markdown extensions that read files are refused (generator/extensions.py): the issue's attack.

Three lines added to mkdocs.yml and one to a page once put /etc/passwd and .git/config (with the
CI's token) into the published site, and passed validate --strict and build --strict.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scratch import site_project

from generator.cli import main
from generator.extensions import SAFE, refusals

ATTACKS = {
    "snippets, default base (the project)": "  - pymdownx.snippets\n",
    "snippets from the root": "  - pymdownx.snippets:\n      base_path: [/]\n",
    "snippets from the project": "  - pymdownx.snippets:\n      base_path: .\n",
    "snippets from .git": "  - pymdownx.snippets:\n      base_path: [content, .git]\n",
    "snippets out of content": "  - pymdownx.snippets:\n      base_path: content/..\n",
    "snippets, unrestricted": "  - pymdownx.snippets:\n      base_path: content\n      restrict_base_path: false\n",
    "pictures inlined from anywhere": "  - pymdownx.b64\n",
    "an extension nobody listed": "  - pymdownx.pathconverter\n",
}


def with_extension(root: Path, lines: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nmarkdown_extensions:\n" in text
    config.write_text(text.replace("\nmarkdown_extensions:\n", "\nmarkdown_extensions:\n" + lines), encoding="utf-8")


@pytest.mark.parametrize("lines", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_file_reading_extension_fails_the_build(tmp_path, capsys, lines):
    root = site_project(tmp_path)
    with_extension(root, lines)
    page = root / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n--8<-- ".git/config"\n--8<-- "/etc/passwd"\n',
                    encoding="utf-8")
    assert main(["-C", str(root), "build", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml có phần mở rộng Markdown không được phép" in err
    assert "root:" not in err and not (root / "site").exists()


def test_the_sites_own_extensions_are_accepted():
    from generator.engine import load_config

    config = load_config(str(Path(__file__).resolve().parent.parent / "mkdocs.yml"))
    assert refusals(config.markdown_extensions, config.mdx_configs, Path(config.config_file_path).parent) == []


def test_a_base_folder_inside_the_project_is_accepted(tmp_path):
    (tmp_path / "content" / "doan").mkdir(parents=True)
    assert refusals(["pymdownx.snippets"], {"pymdownx.snippets": {"base_path": ["content/doan"]}}, tmp_path) == []
    # markdown-include reads any path a page names, whatever its base: refused.
    assert refusals(["markdown_include.include"], {"markdown_include.include": {"base_path": "content"}}, tmp_path)
    refused = refusals(["pymdownx.snippets"], {"pymdownx.snippets": {"base_path": "content", "url_download": True}},
                       tmp_path)
    assert len(refused) == 1 and "url_download" in refused[0]


def test_the_allow_list_names_no_file_reader():
    from generator.extensions import READS_FILES

    assert not SAFE & set(READS_FILES)
    assert refusals(["pymdownx.snippets"], {}, Path("."))    # no base folder: refused


@pytest.mark.parametrize("off", [False, 0, None, "off", "false", "no"])
def test_snippets_restriction_can_only_stay_on(tmp_path, off):
    """Markdown reads restrict_base_path as a yes/no: every spelling of "no" frees the reading."""
    (tmp_path / "content").mkdir()
    refused = refusals(["pymdownx.snippets"], {"pymdownx.snippets": {"base_path": "content",
                                                                      "restrict_base_path": off}}, tmp_path)
    assert len(refused) == 1 and "restrict_base_path" in refused[0]
    assert refusals(["pymdownx.snippets"], {"pymdownx.snippets": {"base_path": "content",
                                                                  "restrict_base_path": True}}, tmp_path) == []


def test_file_readers_take_only_the_options_known_to_keep_them_inside(tmp_path):
    (tmp_path / "content").mkdir()
    for extension, options in [("pymdownx.b64", {"base_path": "content", "root_path": "/"}),
                               ("pymdownx.b64", {"base_path": "content", "restrict_path": False}),
                               ("pymdownx.snippets", {"base_path": "content", "url_download": True}),
                               ("pymdownx.snippets", {"base_path": [object()]})]:
        assert refusals([extension], {extension: options}, tmp_path), (extension, options)
