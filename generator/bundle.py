"""Offline bundles: the handbook, or one course of it, as a zip that opens from file://.

Trainers teach where there is little or no internet. A learner unzips the
bundle and double-clicks index.html; links, search and tooltips work with no
request to any host.

The bundle is an ordinary MkDocs build through a config written at bundle
time into a temporary folder. It inherits mkdocs.yml (`INHERIT:`) and adds
Material's `offline` plugin, which turns off directory URLs and writes the
search index as a script (browsers refuse to fetch files from file://). The
plugin would load a Web Worker shim from a CDN unless one whose address says
"iframe-worker" is listed under `extra.polyfills`: at that address the bundle
ships our own stand-in (assets/search/file-worker.js), which runs the handbook's
search worker as a page script; with HANDBOOK_SEARCH=material, the vendored
iframe-worker shim for Material's own worker.

A course bundle holds the course's landing page (as index.md), the pages of
the records it lists and of its sources, the content pages it lists, and the
index pages of those kinds trimmed to the course. A link to any other page of
the handbook becomes plain text (its title attribute says why), so nothing is
ever broken; each reading ends with links to the one before and after it.

Same data and course, same zip: entries sorted, timestamps and permissions
fixed. Files the offline copy never uses are left out.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.etree import ElementTree as etree

import yaml
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import navigation
from .build import run_mkdocs
from .engine import BasePlugin, event_priority
from .courses import course_id, course_records, restricted, unlink
from .outputs import ZIP_COMMENT, is_our_zip, check_zip, move_into_place
from .pipeline import Result
from .project import Project
from .site_search import own_search
from .render import OFFLINE, page_path, render, render_index, render_pages
from .search import EDITORS_AREA

ASSETS = Path(__file__).parent / "assets"
SHIM = "assets/javascripts/iframe-worker/shim.js"      # in the bundle; the URL must say "iframe-worker"
WHOLE_NAME = "so-tay-offline"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)       # the earliest time a zip can hold
FILE_MODE = 0o100644                   # a regular file, rw-r--r--

# Never read from file://: the offline plugin's search_index.js replaces the JSON
# index, there is no server for a 404 page, and sitemaps are for search engines.
_UNUSED = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
_LUNR = "assets/javascripts/lunr/"
_MATERIAL_WORKER = "assets/javascripts/workers/search."
_MERMAID = re.compile(r"<pre\b[^>]*\bclass=\"[^\"]*\bmermaid\b")


class BundleError(Exception):
    """A reason, in Vietnamese, why no bundle was written."""


@dataclass
class Plan:
    """What goes into one bundle."""

    name: str                              # the zip's stem and its top folder
    title: str                             # for messages
    pages: dict[str, str]                  # generated pages: docs path → Markdown
    content: list[str]                     # files copied from content/ (POSIX, relative)
    aliases: dict[str, str] = field(default_factory=dict)   # bundle path → path it was rendered for
    nav: list | None = None                # None: the navigation of mkdocs.yml
    order: list[tuple[str, str]] = field(default_factory=list)   # a course's reading order: (docs path, label)


@dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    pages: int
    files: int


# --- What goes in ----------------------------------------------------------------------

def plan_whole(result: Result, content_dir: Path, parent_nav: list) -> Plan:
    """Every page and file, rendered for an offline copy (no link to the form editor, which is not in it).

    The editors' guide stays in: the whole copy searches as the site does, with the same results
    (tests/test_search_quality.py), and the ranking reads every page's words."""
    return Plan(WHOLE_NAME, "cả sổ tay", render(result.handbook, OFFLINE, result.changes),
                _content_files(content_dir, editors=True))


def plan_course(result: Result, content_dir: Path, course: str, parent_nav: list) -> Plan:
    handbook = result.handbook
    entry, records = course_records(handbook, course)
    record = entry.record
    landing = page_path(entry)
    offline = render_pages(handbook, only={entry.id} | {e.id for e in records}, medium=OFFLINE,
                           changes=result.changes)[0]
    pages = {"index.md": offline[landing]}
    pages.update({page_path(e): offline[page_path(e)] for e in records})

    ids = {e.id for e in records}
    view = restricted(handbook, ids)
    for kind in dict.fromkeys(e.kind.name for e in records):
        kept = [e for e in view.of_kind(kind) if e.id in ids]
        pages[f"{kept[0].kind.section}/index.md"] = render_index(view, kind, kept)

    written = [item.page for item in record.items if item.page]
    for page in written:
        if page == "index.md":
            raise BundleError(f"{entry.path}: trang chủ (index.md) không đưa vào khóa học được: "
                              "trang mở đầu của bản ngoại tuyến là trang khóa học")
    files = [p for p in _content_files(content_dir) if not p.endswith(".md")]
    texts = {**{path: text for path, text in pages.items() if path != "index.md"},
             landing: pages["index.md"], **{page: (content_dir / page).read_text(encoding="utf-8") for page in written}}
    content = sorted(set(written) | _referenced(texts, set(files)))
    present = set(pages) | set(content)
    order = {"index.md": "Trang khóa học"}
    for number, item in enumerate(record.items, 1):
        path = item.page or page_path(handbook.entries[item.target])
        order.setdefault(path, f"Bài {number}: {item.title or handbook.entries[item.target].record.display_name()}")
    return Plan(f"khoa-hoc-{course}", f"khóa học “{record.title}”", pages, content,
                aliases={"index.md": landing}, nav=_trim_nav(parent_nav, present), order=list(order.items()))


def _for_editors(path: str) -> bool:
    return path.startswith(EDITORS_AREA)


def _content_files(content_dir: Path, editors: bool = False) -> list[str]:
    """content/'s files a reader may meet; a course's copy leaves the editors' guide (pictures included) online."""
    return sorted(path for path in (p.relative_to(content_dir).as_posix() for p in content_dir.rglob("*")
                                    if p.is_file() and not p.name.startswith("."))
                  if editors or not _for_editors(path))


# Where a page names another file: a Markdown link or picture, a reference definition, HTML src/href.
_REFERENCE = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)|\b(?:src|href)\s*=\s*[\"']([^\"']+)",
                        re.MULTILINE)


def _referenced(texts: dict[str, str], files: set[str]) -> set[str]:
    """The `files` (content/ paths) that the pages `texts` (docs path → Markdown) point at."""
    found = set()
    for page, text in texts.items():
        for match in _REFERENCE.finditer(text):
            parts = urlsplit(next(group for group in match.groups() if group))
            if parts.scheme or parts.netloc or not parts.path:
                continue
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))))
    return found & files


def _trim_nav(nav: list, present: set[str], home: str | None = "Khóa học") -> list:
    """mkdocs.yml's navigation less the pages a bundle leaves out; home is titled `home` (a course's)."""
    trimmed = []
    for item in nav:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            value = _trim_nav(value, present)
            if not value:
                continue
        elif value not in present:
            continue
        elif value == "index.md" and home:
            title = home
        trimmed.append({title: value} if title is not None else value)
    return trimmed


# --- Links to pages a course leaves out ------------------------------------------------------

class _CourseLinks(BasePlugin):
    """Rewrites links as pages are converted to HTML, before MkDocs checks them:
    a link to a page of the handbook that is not in the bundle becomes text; the
    landing page keeps its links though it moved to index.md; the course's pages
    end with links along its reading order."""

    def __init__(self, plan: Plan, known: set[str]) -> None:
        super().__init__()
        self.aliases = plan.aliases
        self.order = plan.order
        self.moved = {original: path for path, original in plan.aliases.items()}
        self.known = known
        self.present: set[str] = set()
        self.current = ""

    def on_config(self, config):
        config.markdown_extensions.append(_LinkExtension(self))
        return config

    @event_priority(-100)      # after the handbook plugin added the generated pages
    def on_files(self, files, config):
        self.present = {f.src_uri for f in files.documentation_pages()}
        return files

    def on_page_markdown(self, markdown, page, config, files):
        self.current = page.file.src_uri
        return markdown


class _LinkExtension(Extension):
    def __init__(self, plugin: _CourseLinks) -> None:
        super().__init__()
        self.plugin = plugin

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_LinkTreeprocessor(md, self.plugin), "handbook_course_links", 2)  # relpath is 0


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md, plugin: _CourseLinks) -> None:
        super().__init__(md)
        self.plugin = plugin

    def run(self, root: etree.Element) -> None:
        plugin, page = self.plugin, self.plugin.current
        origin = plugin.aliases.get(page, page)        # the landing page was rendered as khoa-hoc/<id>.md
        for element in list(root.iter("a")):
            href = element.get("href") or ""
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.endswith(".md") or href.startswith(("/", "\\")):
                continue
            path = unquote(parts.path)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(origin), path))
            target = plugin.moved.get(target, target)
            if target in plugin.present:
                if target != posixpath.normpath(posixpath.join(posixpath.dirname(page), path)):
                    path = posixpath.relpath(target, posixpath.dirname(page) or ".")
                    element.set("href", urlunsplit(("", "", path, parts.query, parts.fragment)))
            elif target in plugin.known:
                unlink(element)
        _add_order_links(root, plugin.order, page)


def _add_order_links(root: etree.Element, order: list[tuple[str, str]], page: str) -> None:
    """<nav class="bai-ke">: the pages before and after `page` in the reading order, if it has a place."""
    paths = [path for path, _ in order]
    if page not in paths:
        return
    at = paths.index(page)
    nav = etree.SubElement(root, "nav", {"class": "bai-ke", "aria-label": "Bài trước, bài sau"})
    for name, other in (("bai-truoc", at - 1), ("bai-sau", at + 1)):
        if 0 <= other < len(order):
            path, label = order[other]
            link = etree.SubElement(nav, "a", {"href": posixpath.relpath(path, posixpath.dirname(page) or "."),
                                               "class": name})
            link.text = f"← {label}" if other < at else f"{label} →"


# --- The build -------------------------------------------------------------------------------

def bundle(project: Project, result: Result, out: Path | None = None, *, course: str | None = None,
           strict: bool = False, progress: Callable[[str], None] = lambda message: None) -> Summary:
    """Build the offline copy into a temporary folder and zip it to `out`.

    Nothing is written at `out` unless everything succeeded.
    """
    project = project.resolved()
    plan = plan_for(project, result, course)
    out = check_zip(project.root, out or project.root / f"{plan.name}.zip")
    with offline_site(project, result, plan, strict=strict, progress=progress) as (site, files):
        progress(f"Đang nén {len(files)} tệp …")
        _zip(site, files, plan.name, out)
    pages = sum(path.endswith(".html") for path in files)
    return Summary(out, out.stat().st_size, pages, len(files) + 1)


def plan_for(project: Project, result: Result, course: str | None) -> Plan:
    """The whole handbook's plan, or one course's (`project` resolved)."""
    nav = navigation.expand(project.settings.get("nav")) or []
    if course is None:
        return plan_whole(result, project.content, nav)
    return plan_course(result, project.content, course_id(course), nav)


@contextmanager
def offline_site(project: Project, result: Result, plan: Plan, *, strict: bool = False, kiwix: bool = False,
                 progress: Callable[[str], None] = lambda message: None) -> Iterator[tuple[Path, list[str]]]:
    """The plan's pages built into a temporary folder: (that folder, the files a reader uses).

    Shared by the zip and the ZIM (zim.py, `kiwix`: see the plugin's option); the folder is
    removed on leaving.
    """
    content_dir = project.content
    progress(f"Đang dựng bản ngoại tuyến của {plan.title} …")
    with tempfile.TemporaryDirectory(prefix="handbook-bundle-") as temp:
        temp = Path(temp)
        docs, site = temp / "docs", temp / "site"
        docs.mkdir()
        for path in plan.content:
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(content_dir / path, docs / path)
        config_file = temp / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(_config(project, docs, site, plan, kiwix), allow_unicode=True,
                                              sort_keys=False), encoding="utf-8")
        known = set(result.pages) | {p for p in _content_files(content_dir) if p.endswith(".md")}
        run_mkdocs(config_file, project.root, strict=strict, result=Result(result.problems, result.handbook, plan.pages,
                                                                     changes=result.changes),
                   plugins={"handbook-course-links": _CourseLinks(plan, known)})
        _add_shim(site)     # after the build: content/ takes pages and pictures only
        files = _kept_files(site)
        _refuse_network_features(site, files)
        yield site, files


def _config(project: Project, docs: Path, site: Path, plan: Plan, kiwix: bool = False) -> dict:
    """The bundle's mkdocs.yml: mkdocs.yml, less what needs a network or a server."""
    parent = project.settings
    plugins = []
    for item in parent.get("plugins") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name == "handbook":
            options = {**(options or {}), "data_dir": str(project.data),
                       **({"kiwix": True} if kiwix else {})}
        plugins.append({name: options} if options else name)
    if "offline" not in [p if isinstance(p, str) else next(iter(p)) for p in plugins]:
        plugins.append("offline")
    theme = parent.get("theme") or {}
    features = [f for f in theme.get("features") or [] if not f.startswith("navigation.instant")]
    config = {
        "INHERIT": str(project.config_file),
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": False,       # the offline plugin sets it too; said here for the reader
        "site_url": None,                  # its .html addresses are not the site's: no og:url, no sitemap
        "watch": [],
        "repo_url": None,                  # no repository button: it asks GitHub for stars
        "edit_uri": None,
        "theme": {"features": features, "font": False,
                  # Relative paths would be read from the temporary config's folder.
                  **({"custom_dir": str(project.root / theme["custom_dir"])} if theme.get("custom_dir") else {})},
        # The vendored shim only: any other polyfill would come from a CDN. No analytics either.
        "extra": {"polyfills": [SHIM], "analytics": None},
        "plugins": plugins,
    }
    if plan.nav is not None:
        config["nav"] = plan.nav
    return config


def _add_shim(site: Path) -> None:
    """The Worker stand-in for file://, where extra.polyfills says it is."""
    (site / SHIM).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_shim(), site / SHIM)
    if not own_search():        # the iframe shim loads its frame's scope from a file beside it
        shutil.copyfile(ASSETS / "iframe-worker" / "frame.js", site / SHIM.replace("shim.js", "frame.js"))


def _shim() -> Path:
    """What the bundle lists as its Worker polyfill (see the module's docstring)."""
    return ASSETS / "search" / "file-worker.js" if own_search() else ASSETS / "iframe-worker" / "shim.js"


def _refuse_network_features(site: Path, files: list[str]) -> None:
    """Material draws Mermaid diagrams with a script it loads from a CDN: refuse rather than ship a
    page that needs the network (no page uses diagrams today)."""
    for path in files:
        if path.endswith(".html") and _MERMAID.search((site / path).read_text(encoding="utf-8")):
            raise BundleError(f"trang {path} có sơ đồ Mermaid, cần tải thư viện từ mạng; "
                              "bản ngoại tuyến chưa hỗ trợ sơ đồ")


def _kept_files(site: Path) -> list[str]:
    """Every built file a reader's browser can use, sorted."""
    index = site / "search" / "search_index.json"
    langs = []
    if index.is_file():
        langs = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", [])
    lunr = _lunr_files(langs) if not own_search() else set()
    kept = []
    for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()):
        if path in _UNUSED or path.endswith(".map"):
            continue
        if own_search() and path.startswith(_MATERIAL_WORKER):     # our worker answers the search box
            continue
        if path.startswith(_LUNR) and path[len(_LUNR):] not in lunr:
            continue
        kept.append(path)
    return kept


def _lunr_files(langs: list[str]) -> set[str]:
    """The files Material's search worker imports for these languages (see its `setupSearchLanguages`)."""
    files = set()
    for lang in langs:
        if lang == "ja":
            files.add("tinyseg.js")
        elif lang in ("hi", "th"):
            files.add("wordcut.js")
        if lang != "en":
            files.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        files.add("min/lunr.multi.min.js")
    if files:
        files.add("min/lunr.stemmer.support.min.js")
    return files


def notices() -> str:
    """giay-phep.txt: the licences of the third-party code in every bundle."""
    sections = [*_material_licences()]
    if not own_search():
        sections += [("lunr.js 2.3.9 (tìm kiếm, trong assets/javascripts/workers/; MIT)", ASSETS / "licenses/lunr.txt"),
                     ("lunr-languages 1.22.0 (tìm kiếm tiếng Việt, assets/javascripts/lunr/; MPL-1.1)",
                      ASSETS / "licenses/lunr-languages.txt"),
                     (f"iframe-worker 1.0.4 ({SHIM}; MIT)", ASSETS / "iframe-worker/LICENSE")]
    rule = "=" * 78
    return ("Bản ngoại tuyến này chứa mã nguồn mở của bên thứ ba, kèm giấy phép dưới đây.\n"
            "This offline copy contains third-party open-source code, licensed as follows.\n"
            + "".join(f"\n{rule}\n{title}\n{rule}\n\n{path.read_text(encoding='utf-8').strip()}\n"
                      for title, path in sections))


def _material_licences() -> list[tuple[str, Path]]:
    """Material's own licence and its icons', from the installed package."""
    try:
        material = distribution("mkdocs-material")
    except PackageNotFoundError:
        return []
    files = {str(f): Path(material.locate_file(f)) for f in material.files or []}
    own = [p for name, p in files.items() if name.endswith((".dist-info/licenses/LICENSE", ".dist-info/LICENSE"))]
    icons = [p for name, p in files.items() if name.endswith("templates/.icons/material/LICENSE")]
    return ([(f"Material for MkDocs {material.version} (giao diện, mã JavaScript và CSS; MIT)", own[0])] if own else []) \
        + ([("Material Design Icons (các biểu tượng; Pictogrammers Free License)", icons[0])] if icons else [])


def _zip(site: Path, files: list[str], name: str, out: Path) -> None:
    """Write the zip beside `out` and move it into place only once it is whole."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    entries = [(path, (site / path).read_bytes()) for path in files]
    entries.append(("giay-phep.txt", notices().encode("utf-8")))
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            archive.comment = ZIP_COMMENT       # what lets a later run replace this file, and no other
            for path, data in sorted(entries):
                info = zipfile.ZipInfo(f"{name}/{path}", date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3         # Unix, so that the permissions below are read
                info.external_attr = FILE_MODE << 16
                archive.writestr(info, data, compresslevel=9)
        move_into_place(partial, out, is_our_zip, "handbook bundle")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise

