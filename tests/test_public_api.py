"""Every public name has a docstring and a page in the API reference."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import autocallback

ROOT = Path(__file__).resolve().parents[1]
API_DOCS = ROOT / "docs" / "api"
SPEC_NAMES = (
    "host_function",
    "register",
    "check",
    "export",
    "FormulaError",
    "HostCallError",
    "HostFunction",
    "special",
)


def _documented_names() -> set[str]:
    names = set()
    for page in API_DOCS.glob("*.md"):
        names.update(re.findall(r"^:::\s*autocallback\.(\w+)\s*$", page.read_text(), re.M))
    return names


def test_spec_names_are_public():
    for name in SPEC_NAMES:
        assert name in autocallback.__all__, name
        assert hasattr(autocallback, name), name


@pytest.mark.parametrize("name", sorted(autocallback.__all__))
def test_public_name_has_docstring(name: str):
    doc = inspect.getdoc(getattr(autocallback, name))
    assert doc and doc.strip(), f"autocallback.{name} has no docstring"


@pytest.mark.parametrize("name", sorted(autocallback.__all__))
def test_public_name_in_api_docs(name: str):
    assert name in _documented_names(), (
        f"autocallback.{name} appears in no docs/api/*.md page as '::: autocallback.{name}'"
    )


def test_special_functions_have_docstrings():
    special = autocallback.special
    public = getattr(special, "__all__", None)
    if public is None:
        pytest.skip("autocallback.special defines no __all__")
    missing = [n for n in public if not (inspect.getdoc(getattr(special, n)) or "").strip()]
    assert not missing, f"autocallback.special functions without docstrings: {missing}"


def test_api_pages_are_in_the_nav():
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in API_DOCS.glob("*.md"):
        assert f"api/{page.name}" in nav, f"docs/api/{page.name} is missing from mkdocs.yml nav"
