"""The gate's promise: what passes `validate --strict` is safe to publish, and no command
destroys what it did not create. Invariants over generated inputs (Hypothesis), plus the
cases that do not fit a case file (links, pipes, permissions, output folders)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import ada_url
import markdown as python_markdown
import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from generator.engine import front_matter as get_data

from generator import load as load_module
from generator.cli import main
from generator.load import load, load_file
from generator.outputs import MARKER, OutputError, check_folder, check_zip
from generator.pipeline import run
from generator.project import Project
from generator.sanitize import clean_content, with_csp
from generator.schema import KINDS
from scratch import scratch_project, site_project

TOPIC = KINDS["topic"]
EXTENSIONS = ["abbr", "admonition", "tables", "toc"]     # as mkdocs.yml
# No shrinking: a failing example is printed as found, and shrinking whole handbooks takes minutes.
SETTINGS = settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces an attacker would combine: markup, link forms, entities, Markdown syntax, YAML oddities.
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=y()&gt;",
            "javascript:alert(1)", "[a](javascript:alert(1))", "![p](https://evil.example/p.png)",
            "![p](//evil.example/p.png)", "[a](<javascript:x>)", "<a href='x'>", "*[X]: y", "\"", "'", "`",
            "</title><script>", "{: onclick=x }", "<svg onload=x>", "[[a](b)](c)", "\\", "|", "#", "> q",
            "1. ", "42.883", "- ", "=", "<!--", "-->", "&amp;", "&#x3C;script&#x3E;", "data:text/html,x",
            "<iframe src=//evil.example>", "<style>@import url(//evil.example)</style>", "<base href=//x>"]
PRINTABLE = st.characters(exclude_categories=["Cc", "Cs", "Co", "Cn"])    # the rest is refused (text.control)
TEXT = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(PRINTABLE, max_size=8)),
                min_size=1, max_size=6).map("".join)


class ActiveContent(HTMLParser):
    """Everything in HTML that could run script or make the browser call another host."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "base", "link", "meta", "form", "svg"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag}@{name}")
            if name in ("href", "src", "action", "formaction", "xlink:href") and \
                    re.match(r"(javascript|vbscript|data):", re.sub(r"[\s\x00-\x1f]", "", value)):
                self.found.append(f"{tag}@{name}={value}")
            if name == "src" and (value.startswith("//") or re.match(r"[a-z][a-z0-9+.-]*:", value)):
                self.found.append(f"{tag}@src={value}")
            if name == "title" and re.search(r"[<>&]", value):       # Material: innerHTML
                self.found.append(f"{tag}@title={value}")


def html_escape_check(title: str) -> str:
    """The theme prints the title unescaped in <title> and the navigation."""
    return f"<title>{title}</title><a>{title}</a>"


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


# --- Every value that validates renders into inert HTML ------------------------------------

def _practice(title: str, description: str, result: str, figure: str) -> str:
    return yaml.safe_dump({
        "id": "tinh-a-chi-bo-bon-tot", "title": title, "province": "tinh-a", "description": description,
        "results": [result], "figures": [{"label": result, "value": figure}], "sources": ["bai-mau"],
    }, allow_unicode=True)


@SETTINGS
@given(title=TEXT, description=TEXT, result=TEXT, figure=TEXT,
       expansion=st.lists(st.sampled_from(["Ban", "Tổ chức", "javascript:x", "onerror=y", "'", "(", ")", "/",
                                           "  ", "Đảng", "-", ":", "=", "1."]), min_size=1, max_size=8).map(" ".join))
def test_whatever_validates_renders_inert(tmp_path_factory, title, description, result, figure, expansion):
    root = scratch_project(tmp_path_factory.mktemp("p"), {
        "data/practices/tinh-a-chi-bo-bon-tot.yaml": _practice(title, description, result, figure),
        "data/glossary/btctw.yaml": yaml.safe_dump({"id": "btctw", "abbr": "BTCTW", "expansion": expansion},
                                                   allow_unicode=True)})
    outcome = run(Project.read(root))
    assume(outcome.ok)
    for path, page in outcome.pages.items():
        body, meta = get_data(page)                 # as MkDocs reads it: the title goes to the theme
        assert active_content(html_escape_check(meta.get("title", ""))) == [], path
        html = python_markdown.markdown(body, extensions=EXTENSIONS)
        assert active_content(html) == [], path     # the renderer's own escaping, before the sanitiser
        assert active_content(clean_content(html)) == [], path


@SETTINGS
@given(abbr=TEXT, expansion=TEXT)
def test_glossary_entries_with_markup_never_validate(tmp_path_factory, abbr, expansion):
    assume(re.search(r"[<>&\"*\[\]\\`{}|]", abbr + expansion))
    root = scratch_project(tmp_path_factory.mktemp("p"), {
        "data/glossary/btctw.yaml": yaml.safe_dump({"id": "btctw", "abbr": abbr, "expansion": expansion},
                                                   allow_unicode=True)})
    assert not run(Project.read(root)).ok


@SETTINGS
@given(html=st.lists(st.one_of(st.sampled_from(PAYLOADS + ["<a href='", "<img src='", "' ", "\" onerror=x ",
                                                           "<abbr title='", "<p>", "</p>"]),
                               st.text(max_size=6)), max_size=12).map("".join))
def test_sanitiser_leaves_nothing_active(html):
    assert active_content(clean_content(html)) == []


# Attribute values the per-attribute rules change or keep: markup in titles, theme ids and classes,
# pictures from elsewhere, spacing and entities in class lists; and plain text that looks like them.
VALUE_PIECES = ["_", "md-", "md-x", "x", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "&amp;", "&quot;", "&lt;",
                "&gt;", "&nbsp;", "&#95;", "<", ">", "&", "//", "http:", "x:", "/", "a.png", "Đảng"]
PIECE = st.sampled_from(VALUE_PIECES)
VALUE = st.lists(st.one_of(PIECE, PIECE, st.text(PRINTABLE, max_size=2)), max_size=3).map("".join)
ATTRIBUTE = st.tuples(st.sampled_from(["title", "id", "class", "src", "alt", "data-x"]), VALUE,
                      st.sampled_from(["'", '"'])).map(lambda a: f" {a[0]}={a[2]}{a[1].replace(a[2], '')}{a[2]}")
ELEMENT = st.tuples(st.sampled_from(["img", "abbr", "span", "h2", "td"]), st.lists(ATTRIBUTE, max_size=3),
                    st.one_of(st.text(PRINTABLE, max_size=3),
                              st.sampled_from([' title="<x>"', ' id="_a"', ' class="md-a"', ' src="//x"']))
                    ).map(lambda e: f"<{e[0]}{''.join(e[1])}>{e[2]}</{e[0]}>")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(name, value or "") for name, value in attrs]


@settings(SETTINGS, max_examples=400)
@given(html=st.lists(ELEMENT, min_size=1, max_size=3).map("".join))
def test_sanitised_attributes_cannot_borrow_the_theme_or_fetch_elsewhere(html):
    """Whatever attributes content holds, none that comes out carries markup into a tooltip,
    takes a theme id or look, or loads a picture from another host."""
    parser = _Attributes()
    parser.feed(clean_content(html))
    for name, value in parser.found:
        assert not (name == "title" and re.search(r'[<>&"]', value)), (name, value)
        assert not (name == "id" and value.startswith("_")), (name, value)
        assert not (name == "class" and any(c.startswith("md-") for c in value.split())), (name, value)
        assert not (name == "src" and ada_url.URL(value, "https://handbook.invalid/a/").host != "handbook.invalid"), \
            (name, value)       # as browsers read it; offline too: test_urls.py


def test_sanitiser_keeps_what_pages_use():
    page = ('<h2 id="a">Tiêu đề<a class="headerlink" href="#a" title="Liên kết">¶</a></h2>'
            '<table><tbody><tr><th style="text-align:left">Số</th></tr></tbody></table><abbr title="Ban Tổ chức">BTC</abbr>'
            '<a href="../van-ban/x.html">x</a> <a href="https://vbpl.vn/">vbpl</a><img src="../assets/a.png" alt="a">')
    assert clean_content(page) == page


def test_every_page_carries_a_policy_allowing_only_the_themes_inline_scripts(tmp_path):
    root = site_project(tmp_path / "project")
    (root / "content" / "la.md").write_text('---\ntitle: "</title><script>alert(1)</script>"\n---\n\n# Lạ\n',
                                            encoding="utf-8")
    assert main(["-C", str(root), "build", "-d", str(tmp_path / "site")]) == 0
    page = (tmp_path / "site" / "la" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "</title><script>" not in page     # the title is text
    secured = with_csp(page.replace("</body>", "<script>alert(2)</script></body>"))
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', secured).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", secured, re.S)
    allowed = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts
               if f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" in policy}
    assert len(allowed) == 2 and "alert(2)" in scripts[-1]       # the theme's two, not the added one
    assert "unsafe-inline" not in policy.split("style-src")[0] and "object-src 'none'" in policy
    assert "http" not in policy


# --- Values keep their text ----------------------------------------------------------------

def test_unquoted_figures_show_as_written(tmp_path):
    root = scratch_project(tmp_path, {"data/practices/tinh-a-chi-bo-bon-tot.yaml": (
        "id: tinh-a-chi-bo-bon-tot\ntitle: Cách làm\nprovince: tinh-a\nsources: [bai-mau]\n"
        "description: 42.883 đảng viên\nfigures:\n  - {label: Mã, value: 010}\n  - {label: Có, value: no}\n"
        "  - {label: Giờ, value: 3:20}\n  - {label: Số, value: 1.000}\n")})
    html = python_markdown.markdown(run(Project.read(root)).pages["cach-lam/tinh-a-chi-bo-bon-tot.md"],
                                    extensions=EXTENSIONS)
    for shown in ("010", "no", "3:20", "1.000", "42.883 đảng viên"):
        assert re.search(rf">\s*{re.escape(shown)}", html), shown
    assert "\\" not in re.sub(r"<[^>]+>", "", html)


@SETTINGS
@given(st.text(max_size=200))
def test_loader_never_raises(text):
    document, problems = load_file(text.encode("utf-8"), "data/topics/x.yaml", TOPIC)
    assert document is not None or problems


@SETTINGS
@given(st.lists(st.sampled_from(["[", "]", "{", "}", "- ", "a: ", "\n", "  ", "&a ", "*a", "!x ", "!!python/name:x ",
                                 "\"", "'", "?", ",", "#", "|", ">", "%", "@", "`", "\t", "\x00", "---\n"]),
                max_size=80).map("".join))
def test_loader_never_raises_on_yaml_like_text(text):
    load_file(("id: x\nname: " + text).encode("utf-8"), "data/topics/x.yaml", TOPIC)


# --- Files the loader refuses ----------------------------------------------------------------

def test_links_pipes_and_unreadable_files_are_refused_with_a_place(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("id: x\nname: BÍ MẬT\n", encoding="utf-8")
    root = scratch_project(tmp_path / "p")
    (root / "data/topics/lien-ket.yaml").symlink_to(secret)
    (root / "data/topics/thu-muc").symlink_to(tmp_path)
    os.mkfifo(root / "data/topics/ong.yaml")
    original = load_module._read

    def unreadable(path):
        if path.name == "sinh-hoat-chi-bo.yaml":
            raise PermissionError(13, "Permission denied")
        return original(path)

    monkeypatch.setattr(load_module, "_read", unreadable)
    documents, problems = load(root / "data")
    found = sorted((p.path, p.code) for p in problems)
    assert found == [("data/topics/lien-ket.yaml", "file.symlink"), ("data/topics/ong.yaml", "file.special"),
                     ("data/topics/sinh-hoat-chi-bo.yaml", "file.unreadable"),
                     ("data/topics/thu-muc", "file.symlink")]
    assert documents and all("BÍ MẬT" not in str(d.data) for d in documents)


def test_missing_data_folder_is_an_error(tmp_path, capsys):
    assert main(["-C", str(tmp_path), "validate"]) == 1
    assert "[data.missing]" in capsys.readouterr().err


# --- Commands never remove what they did not create ------------------------------------------

def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def workspace(tmp_path):
    """A project beside a folder of notes, as on an editor's disk."""
    root = scratch_project(tmp_path / "project")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "ghi-chu.txt").write_text("quan trọng", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "bao-cao.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)      # someone else's zip
    return root


TARGETS = st.sampled_from([".", "..", "data", "data/topics", "data/new", "content", "content/x", ".git",
                           "generator", "tests/x", "site", "../notes", "../notes/x", "../empty", "../new",
                           "../bao-cao.zip", "out.zip", "README.md", "data/x.zip", "../notes/ghi-chu.txt",
                           "mkdocs.yml", "./site/../data", "site/../../notes"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=TARGETS)
def test_accepted_targets_never_hold_anything_else(workspace, target):
    root = workspace
    path = root / target
    for check in (lambda: check_folder(root, path, "-d"), lambda: check_zip(root, path)):
        try:
            accepted = check()
        except OutputError as error:
            assert str(error)
            continue
        assert not accepted.exists() or (accepted.is_dir() and (not any(accepted.iterdir())
                                                                  or (accepted / MARKER).is_file())) or \
            accepted.suffix == ".zip" and accepted.is_file()
        assert not root.resolve().is_relative_to(accepted)
        for source in ("data", "content", "generator", "tests", ".git"):
            assert not accepted.is_relative_to(root.resolve() / source)


@pytest.mark.parametrize("args", [["build", "-d", "../notes"], ["build", "-d", "data"], ["build", "-d", "."],
                                  ["build", "-d", ".."], ["render", "-o", "content"], ["render", "-o", "../notes"],
                                  ["bundle", "-o", "README.md"], ["bundle", "-o", "../bao-cao.zip"]])
def test_commands_refuse_to_replace_what_they_did_not_create(tmp_path, args, capsys):
    root = site_project(tmp_path / "project")
    (root / "README.md").write_text("đọc tôi", encoding="utf-8")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "ghi-chu.txt").write_text("quan trọng", encoding="utf-8")
    (tmp_path / "bao-cao.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    before = _tree(tmp_path)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code = main(args)
    finally:
        os.chdir(cwd)
    assert code == 1
    assert "Không ghi kết quả" in capsys.readouterr().err
    assert _tree(tmp_path) == before


def test_a_build_replaces_only_its_own_earlier_output(tmp_path, capsys):
    root = site_project(tmp_path / "project")
    assert main(["-C", str(root), "build", "-d", str(tmp_path / "ra")]) == 0
    assert (tmp_path / "ra" / MARKER).is_file()
    (tmp_path / ".ra-new-999999999-abc").mkdir()         # left by a run that was killed
    assert main(["-C", str(root), "build", "-d", str(tmp_path / "ra")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "ra"]


# --- Every command fails with a Vietnamese message, never a traceback ----------------------------

def test_new_writes_only_into_a_project(tmp_path, capsys):
    assert main(["-C", str(tmp_path / "khong-co"), "new", "practice", "Thử"]) == 1
    assert main(["-C", str(tmp_path), "new", "practice", "Thử"]) == 1
    assert "không thấy thư mục dữ liệu" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, said", [
    (["build", "-d", "x" * 300], "tên tệp hoặc thư mục quá dài"),
    (["render", "-o", "README.md/con"], "đã có một tệp ở chỗ cần tạo thư mục"),
])
def test_operating_system_errors_are_said_in_vietnamese(tmp_path, capsys, args, said):
    root = site_project(tmp_path / "project")
    (root / "README.md").write_text("đọc tôi", encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(args) == 1
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_broken_configuration_is_a_message_for_every_command(tmp_path, capsys):
    root = site_project(tmp_path / "project")
    (root / "mkdocs.yml").write_text("nav: [\n", encoding="utf-8")
    for command in (["build"], ["bundle"]):
        assert main(["-C", str(root), *command]) == 1
        assert "Traceback" not in capsys.readouterr().err


def test_check_links_reads_any_bytes(tmp_path, capsys):
    (tmp_path / "index.html").write_bytes(b'<a href="khong-co.html">\xae\xff</a>')
    (tmp_path / "thu-muc.html").mkdir()
    assert main(["check-links", str(tmp_path)]) == 1
    assert "khong-co.html" in capsys.readouterr().err
