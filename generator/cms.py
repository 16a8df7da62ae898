"""The form editor at /admin/: Decap CMS, its generated configuration, its own policy.

Editors who do not write YAML edit records through forms; in the editorial
workflow every change becomes a branch and a pull request that the validation
workflow checks. The page is not a handbook page: the plugin writes it as
static files after the build (admin/index.html, the CMS's script files from the
npm package, config.yml generated from the schema, a preview that looks like a
record page), with a Content-Security-Policy of its own.

The CMS comes from the npm registry (never a CDN): `python -m generator.cms`
downloads the pinned package with `npm pack`, checks its integrity and keeps
its script files in a cache folder, outside the repository.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import yaml

from .characters import NOT_TEXT_CLASS
from .cms_config import CONFIG_FILE
from .editor_schema import json_schema
from .fmt import layout_of, scaffold_comments
from .schema import KINDS, ref_fields

DECAP_VERSION = "3.16.3"
DECAP_INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
#: The YAML reader of the form's own format (cms/layout.js): every value is text, as the loader reads it.
JS_YAML_VERSION = "4.1.0"
JS_YAML_INTEGRITY = "sha512-wpxZs9NoxZaJESJGIZTyDEaYpl0FKSA+FB9aJiyemKhMwkxQg63h4T1KJgUGHpTqPDNRcmmYLugrRjJlBtWvRA=="
JS_YAML_FILE = "js-yaml.min.js"
#: The CMS's local backend (serves a working copy's files to the form; tests and local editing).
DECAP_SERVER_VERSION = "3.11.3"
ASSETS = Path(__file__).parent / "cms"
GITHUB_API = "https://api.github.com"
#: decap-server's default address, used by `handbook serve`.
LOCAL_URL = "http://localhost:8081/api/v1"
_GITHUB_REPO = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def cache_dir() -> Path:
    """Where npm packages are kept between builds (HANDBOOK_CACHE, else ~/.cache/handbook)."""
    return Path(os.environ.get("HANDBOOK_CACHE") or Path.home() / ".cache" / "handbook")


def decap_dir() -> Path:
    return cache_dir() / f"decap-cms-{DECAP_VERSION}"


def decap_server() -> Path:
    """The local backend's entry script (installed by `python -m generator.cms --server`)."""
    return cache_dir() / f"decap-server-{DECAP_SERVER_VERSION}" / "node_modules" / "decap-server" / "dist" / "index.js"


def js_yaml_dir() -> Path:
    return cache_dir() / f"js-yaml-{JS_YAML_VERSION}"


def _npm_files(spec: str, integrity: str, target: Path, keep: dict[str, str] | None = None,
               keep_if=None) -> Path:
    """Download a pinned npm package, check its integrity, keep the files it names in `target`.

    `keep` maps a path inside the package to the name it is kept under; `keep_if` picks files
    of package/dist/ by name.
    """
    with tempfile.TemporaryDirectory(prefix="handbook-npm-") as temp:
        subprocess.run(["npm", "pack", spec, "--pack-destination", temp, "--silent"],
                       check=True, cwd=temp, stdout=subprocess.DEVNULL)
        [tarball] = Path(temp).glob("*.tgz")
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != integrity:
            raise RuntimeError(f"{spec}: integrity {digest} is not the pinned {integrity}")
        staging = Path(temp) / "dist"
        staging.mkdir()
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = (keep or {}).get(member.name)
                if name is None and keep_if is not None:
                    inner = member.name.removeprefix("package/dist/")
                    name = inner if "/" not in inner and keep_if(inner) else None
                if member.isfile() and name:
                    (staging / name).write_bytes(archive.extractfile(member).read())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(staging, target)
    return target


def install_decap() -> Path:
    """Download the pinned decap-cms package from the npm registry, check it, keep its script files.

    Also js-yaml, with which the form reads record files as the handbook's loader does (layout.js).
    """
    if not (js_yaml_dir() / JS_YAML_FILE).is_file():
        _npm_files(f"js-yaml@{JS_YAML_VERSION}", JS_YAML_INTEGRITY, js_yaml_dir(),
                   keep={"package/dist/js-yaml.min.js": JS_YAML_FILE, "package/LICENSE": "js-yaml.LICENSE.txt"})
    target = decap_dir()
    if not (target / "decap-cms.js").is_file():
        # The bundle and the chunks it loads on demand; not the other build (cms.js) nor source maps.
        _npm_files(f"decap-cms@{DECAP_VERSION}", DECAP_INTEGRITY, target,
                   keep_if=lambda name: name.endswith("decap-cms.js") or name == "decap-cms.js.LICENSE.txt")
    return target


def install_decap_server() -> Path:
    """Install the local backend with npm (for the browser test and local editing)."""
    if not decap_server().is_file():
        prefix = decap_server().parents[3]
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent",
                        f"decap-server@{DECAP_SERVER_VERSION}"], check=True, stdout=subprocess.DEVNULL)
    if not decap_server().is_file():
        raise RuntimeError(f"npm installed decap-server {DECAP_SERVER_VERSION} but {decap_server()} is missing")
    return decap_server()


# --- Writing /admin/ -------------------------------------------------------------------

@dataclass(frozen=True)
class Backend:
    repo: str | None = None          # owner/name on GitHub
    branch: str = "main"
    auth_url: str | None = None      # the OAuth proxy's address (Decap's base_url)
    local_url: str | None = None     # the local backend's API (decap-server), local mode only

    @property
    def configured(self) -> bool:
        return bool(self.repo or self.local_url)


def github_repo(repo_url: str | None) -> str | None:
    match = _GITHUB_REPO.match(repo_url or "")
    return match.group(1) if match else None


def site_backend(options, repo_url: str | None, live: bool) -> Backend:
    """The backend a site's /admin/ talks to, from the handbook plugin's options (cms_repo, cms_branch,
    cms_auth_url, cms_local; else repo_url's GitHub repository); a live preview's form editor uses the
    local backend unless told another (HANDBOOK_CMS_LOCAL, set by `handbook serve --cms`)."""
    return Backend(repo=options.cms_repo or github_repo(repo_url), branch=options.cms_branch,
                   auth_url=options.cms_auth_url,
                   local_url=os.environ.get("HANDBOOK_CMS_LOCAL") or options.cms_local or (LOCAL_URL if live else None))


def site_config(backend: Backend) -> dict:
    """The generated configuration with the backend of this site."""
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    github = {"name": "github", "repo": backend.repo or "local/handbook", "branch": backend.branch,
              # Editors without write access work in a fork; their pull requests come from it.
              "open_authoring": True,
              "squash_merges": True, "commit_messages": {
                  "create": "Thêm {{collection}} “{{slug}}”", "update": "Sửa {{collection}} “{{slug}}”",
                  "delete": "Xóa {{collection}} “{{slug}}”", "uploadMedia": "Tải lên “{{path}}”",
                  "deleteMedia": "Xóa “{{path}}”"}}
    if backend.auth_url:
        github["base_url"] = backend.auth_url
    front = {"backend": github}
    if backend.local_url:
        front["local_backend"] = {"url": backend.local_url}
    return {**front, **config}


def admin_policy(backend: Backend) -> str:
    """The editor page's policy: the CMS's own files, and only the API it talks to.

    - scripts: the CMS's files on this site; 'unsafe-eval' because the CMS compiles its
      configuration checks (ajv) with `new Function`. No inline script, no other host.
    - styles inline: the CMS's components write their styles at run time (emotion).
    - connect: this site (config.yml), api.github.com with the GitHub backend, the local
      backend only when the site was built in local mode.
    """
    connect = ["'self'"]
    images = ["'self'", "data:", "blob:"]
    if backend.repo:
        connect.append(GITHUB_API)
        images.append("https://avatars.githubusercontent.com")   # the signed-in editor's picture
    if backend.local_url:
        connect.append(_origin(backend.local_url))
    return "; ".join([
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src " + " ".join(images),
        "font-src 'self' data:",
        "connect-src " + " ".join(connect),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ])


def _origin(url: str) -> str:
    match = re.match(r"^(https?://[^/]+)", url)
    if not match:
        raise ValueError(f"local backend address must start with http:// or https://: {url}")
    return match.group(1)


def admin_page(policy: str, body: str, title: str) -> str:
    return ("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{escape(policy, quote=False)}\">\n"
            "<meta name=\"robots\" content=\"noindex\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def picker_names(result) -> dict[str, dict[str, str]]:
    """The names pickers show for the records that name others: issuers (organs) and places (provinces)."""
    folders = {KINDS[ref.target].folder for kind in KINDS.values() for ref in ref_fields(kind.model)
               if ref.name in (kind.issuer, *kind.places)}
    entries = result.handbook.entries.values() if result is not None and result.handbook else ()
    names: dict[str, dict[str, str]] = {folder: {} for folder in sorted(folders)}
    for entry in entries:
        if entry.kind.folder in names:
            names[entry.kind.folder][entry.id] = entry.record.display_name()
    return names


def _patterns(node: dict) -> set[str] | None:
    """The patterns a text value of this JSON Schema node must match (None: no rule for text here)."""
    branches = [b for b in node.get("anyOf", ()) if b.get("type") != "null"]
    if branches:
        return _patterns(branches[0]) if len(branches) == 1 else None
    if "pattern" not in node and "allOf" not in node:
        return None
    found = {node["pattern"]} if "pattern" in node else set()
    for part in node.get("allOf", ()):
        found |= _patterns(part) or set()
    return found


def text_rules() -> dict:
    """The validator's rules for text, as the form applies them (editor.js): each collection's fields
    (by name; a list's items as `item`) with the patterns the JSON Schemas give them, and the class of
    characters that are not text, with which the form says which character is at fault.

    A name found twice in a kind (a nested field) keeps the patterns both have: never a rule the
    validator does not apply."""
    fields = {}
    for kind in KINDS.values():
        schema = json_schema(kind)
        found: dict[str, set[str]] = {}
        models = [schema, *schema.get("$defs", {}).values()]
        for name, node in ((n, v) for model in models for n, v in model.get("properties", {}).items()):
            items = node.get("items") or next((b["items"] for b in node.get("anyOf", ()) if "items" in b), None)
            if "x-ref" in node or (isinstance(items, dict) and "x-ref" in items):
                continue        # ids of other records: picked (relation widgets), never typed as text
            for key, target in ((name, node), ("item", items)):
                patterns = _patterns(target) if isinstance(target, dict) and "$ref" not in target else None
                if patterns is not None:
                    found[key] = found[key] & patterns if key in found else patterns
        fields[kind.folder] = {name: sorted(patterns) for name, patterns in sorted(found.items()) if patterns}
    return {"notText": NOT_TEXT_CLASS, "fields": fields}


def write_admin(site_dir: Path, backend: Backend, site_name: str, names: dict | None = None) -> str:
    """Write site/admin/; return a Vietnamese note when the editor cannot be turned on, else "".

    `names`: the organs' and provinces' names by id (folder → id → name), with which the form's
    pickers name a directive's issuer and a practice's province.
    """
    admin = site_dir / "admin"
    shutil.rmtree(admin, ignore_errors=True)
    admin.mkdir(parents=True)
    title = f"Biên tập — {site_name}"
    dist = decap_dir()
    note = ""
    if not backend.configured:
        note = ("trình biên tập bằng biểu mẫu chưa được bật: khai báo repo_url (GitHub) trong mkdocs.yml "
                "hoặc cms_repo cho plugin handbook (xem Biên tập bằng biểu mẫu)")
    elif not (dist / "decap-cms.js").is_file() or not (js_yaml_dir() / JS_YAML_FILE).is_file():
        note = (f"chưa có Decap CMS {DECAP_VERSION} trong {dist}: chạy `python -m generator.cms` "
                "(cần npm) rồi dựng lại trang")
    if note:
        body = ("<main><h1>Biên tập bằng biểu mẫu</h1><p>" + escape(note[0].upper() + note[1:]) + ".</p>"
                "<p><a href=\"../bien-tap/bieu-mau/\">Biên tập bằng biểu mẫu: cách bật</a></p></main>")
        (admin / "index.html").write_text(admin_page("default-src 'none'; base-uri 'none'; form-action 'none'",
                                                      body, title), encoding="utf-8")
        return note
    scripts = sorted(p.name for p in dist.iterdir() if p.name.endswith(".js"))
    for name in [*scripts, "decap-cms.js.LICENSE.txt"]:
        shutil.copyfile(dist / name, admin / name)
    for name in (JS_YAML_FILE, "js-yaml.LICENSE.txt"):
        shutil.copyfile(js_yaml_dir() / name, admin / name)
    for name in ("before-cms.js", "layout.js", "names.js", "editor.js", "admin.css"):
        shutil.copyfile(ASSETS / name, admin / name)
    config = site_config(backend)
    (admin / "config.yml").write_text(
        "# Sinh từ generator/schema.py (generator/cms_config.py); sửa lược đồ rồi dựng lại, đừng sửa tệp này.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    # editor.js reads the collections it previews off its own tag: no inline script, no second request.
    collections = escape(" ".join(c["name"] for c in config["collections"]))
    layouts = escape(json.dumps({kind.folder: {**layout_of(kind), "pick": list(kind.name_fields),
                                               "help": sorted(scaffold_comments(kind))}
                                 for kind in KINDS.values()}, ensure_ascii=False, sort_keys=True))
    known = escape(json.dumps(names or {}, ensure_ascii=False, sort_keys=True))
    rules = escape(json.dumps(text_rules(), ensure_ascii=False, sort_keys=True))
    # The preview's style as text, not a file the preview frame fetches again after every save (the
    # preview showed unstyled for seconds meanwhile).
    style = escape((ASSETS / "preview.css").read_text(encoding="utf-8"))
    body = ('<link rel="stylesheet" href="admin.css">\n<script src="before-cms.js"></script>\n'
            f'<script src="decap-cms.js"></script>\n<script src="{JS_YAML_FILE}"></script>\n'
            '<script src="layout.js"></script>\n<script src="names.js"></script>\n'
            f'<script src="editor.js" data-collections="{collections}" data-layout="{layouts}" '
            f'data-names="{known}" data-text="{rules}" data-preview-style="{style}"></script>')
    (admin / "index.html").write_text(admin_page(admin_policy(backend), body, title), encoding="utf-8")
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.cms",
                                     description="Tải Decap CMS từ npm vào thư mục đệm (cần cho /admin/).")
    parser.add_argument("--server", action="store_true", help="cài cả decap-server (biên tập thử trên máy)")
    args = parser.parse_args(argv)
    print(f"Decap CMS {DECAP_VERSION}: {install_decap()}", file=sys.stderr)
    if args.server:
        print(f"decap-server {DECAP_SERVER_VERSION}: {install_decap_server()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
