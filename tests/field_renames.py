"""Rename each field of the schema, in its declaration and in the data, and render again.

Run as a script by tests/test_views.py (it imports the generator afresh for every rename):
`python tests/field_renames.py PROJECT [MODEL.FIELD…]` with PROJECT a copy of the handbook (data/ and
content/), every field or those named.
A field renamed in `schema.py` (its declaration line only) and in every record (its key) must
either leave every reader's page byte-identical or fail loudly: an exception at import (a role
naming the old field) or while rendering (a view reading it), or a validation error. What may
not happen is a page that changes without a word (a diagram silently emptied). The editors'
field reference names the fields, so it is left out of the comparison.

Prints one line per field, `<outcome> <Model>.<field>`, outcome one of `same`, `loud` or
`changed`, then the pages that changed. Each rename runs in a forked copy of this process,
which keeps the third-party imports and re-imports only the generator.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEW = "{}_doi_ten"


def every_field() -> list[tuple[str, str]]:
    """(model, field) of every field of every kind's model and of the values nested in them."""
    import typing

    from pydantic import BaseModel

    from generator import field_types, schema
    models = {kind.model for kind in schema.KINDS.values()}
    for model in list(models):
        for info in model.model_fields.values():
            inner = field_types.plain_type(info.annotation)
            inner = typing.get_args(inner)[0] if typing.get_origin(inner) is list else inner
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                models.add(inner)
    return sorted((model.__name__, name) for model in models for name in model.model_fields)


def pages_of(data_dir: Path) -> dict[str, str]:
    """The readers' pages of the handbook (the editors' field reference names the fields)."""
    from generator import pipeline
    from generator.project import Project
    from generator.render import EDITORS_PAGES
    result = pipeline.run(Project.read(data_dir.parent))
    assert result.ok, result.problems
    return {p: t for p, t in result.pages.items() if p not in EDITORS_PAGES}


def declaring_class(model_name: str, field: str) -> str:
    """The class of schema.py whose body declares `field` (a base class for inherited fields)."""
    from generator import schema
    for cls in getattr(schema, model_name).__mro__:
        if field in cls.__dict__.get("__annotations__", {}):
            return cls.__name__
    raise LookupError(f"{model_name}.{field} is declared nowhere")


def renamed_schema(source: str, declaring: str, field: str) -> str:
    """schema.py with the field's declaration line renamed, nothing else."""
    start = source.index(f"\nclass {declaring}(")
    end = re.compile(r"\n(?=\S)").search(source, source.index("\n", start + 1) + 1)
    body = source[start:end.start() if end else len(source)]
    line = re.compile(rf"^(    ){re.escape(field)}(:)", re.MULTILINE)
    assert len(line.findall(body)) == 1, f"{declaring}.{field}: declaration not found"
    return source[:start] + line.sub(rf"\g<1>{NEW.format(field)}\g<2>", body, count=1) + source[start + len(body):]


def renamed_data(data_dir: Path, declaring: str, field: str) -> dict[Path, tuple[str, str]]:
    """Record files whose key for the field is renamed (a record of a kind whose model declares
    it, inherited or nested): path → (text, renamed text)."""
    from generator import schema
    declaring_cls = getattr(schema, declaring)
    nested = not issubclass(declaring_cls, schema.Record)
    key = (re.compile(rf"^((?:[ ]+|[ ]*- )(?:- )*){re.escape(field)}:", re.MULTILINE) if nested
           else re.compile(rf"^(){re.escape(field)}:", re.MULTILINE))
    found = {}
    for kind in schema.KINDS.values():
        if not nested and not issubclass(kind.model, declaring_cls):
            continue
        for path in (data_dir / kind.folder).glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            changed = key.sub(rf"\g<1>{NEW.format(field)}:", text)
            if changed != text:
                found[path] = (text, changed)
    return found


def outcome(project: Path, model_name: str, field: str, expected: dict[str, str]) -> tuple[str, list[str]]:
    """Import the generator afresh with the renamed schema and render: same, loud or changed (with the pages)."""
    source = renamed_schema((ROOT / "generator" / "schema.py").read_text(encoding="utf-8"),
                            declaring_class(model_name, field), field)
    for name in [m for m in sys.modules if m == "generator" or m.startswith("generator.")]:
        del sys.modules[name]
    try:
        import generator
        module = type(sys)("generator.schema")
        module.__file__ = str(ROOT / "generator" / "schema.py")
        module.__package__ = "generator"
        sys.modules["generator.schema"] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)
        generator.schema = module
        from generator import pipeline
        from generator.project import Project
        from generator.render import EDITORS_PAGES
        result = pipeline.run(Project.read(project))
        if not result.ok:
            return "loud", []
        pages = {p: t for p, t in result.pages.items() if p not in EDITORS_PAGES}
    except Exception:       # noqa: BLE001 - any exception is a loud failure
        traceback.print_exc(limit=1, file=sys.stderr)
        return "loud", []
    return ("same", []) if pages == expected else ("changed", sorted(p for p in pages.keys() | expected.keys()
                                                                      if pages.get(p) != expected.get(p)))


def main(project: Path, only: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    expected = pages_of(project / "data")
    for model_name, field in every_field():
        if only and f"{model_name}.{field}" not in only:
            continue
        files = renamed_data(project / "data", declaring_class(model_name, field), field)
        child = os.fork()
        if child == 0:
            try:
                for path, (_, text) in files.items():
                    path.write_text(text, encoding="utf-8")
                code, pages = outcome(project, model_name, field, expected)
                print(code, f"{model_name}.{field}", *pages[:5], flush=True)
            finally:
                os._exit(0)
        os.waitpid(child, 0)
        for path, (text, _) in files.items():
            path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
