"""The import rules of the house (README, "Architecture"), read from the source with ``ast``.

1. The domains (``catalog``, ``outlets``, ``search``, ``cms``, and the ``mail`` and ``spreadsheet`` helpers
   they share) never import ``shop``: not in production code, not in their tests, not in their migrations.
   A test that needs a front door belongs to that front door's tests (``shop/portal/tests`` uses the
   catalogue's test helpers, never the reverse).
2. Only interface modules import a view, form or template-tag module: a model, service, selector, receiver
   or any other module that holds rules never does. Interface modules are views, forms, formsets, template
   tags, URL configs, app configs (they wire URLs), admin, Wagtail hooks, tests and migrations.
3. ``shop.order`` never imports ``shop.checkout`` (production modules): the checkout imports orders, one way.

Imports inside functions count, and so do ``importlib.import_module("...")`` and Oscar's
``get_class("app.module", ...)`` when they name a module of ours. ``get_class``/``get_model`` by an Oscar app
label (``get_class("partner.strategy", ...)``) is Oscar's sanctioned seam and is not an import of ``shop``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("catalog", "outlets", "search", "cms", "mail", "spreadsheet")
OUR_PACKAGES = (*DOMAINS, "shop")
UI_PARTS = {"views", "forms", "formsets", "templatetags"}
INTERFACE_PARTS = UI_PARTS | {"urls", "apps", "admin", "wagtail_hooks", "tests", "migrations", "conftest"}
DYNAMIC_IMPORTERS = {"import_module", "get_class", "get_classes"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module ``source`` imports (absolute names), wherever the import statement stands."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in DYNAMIC_IMPORTERS and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def is_interface(module: str) -> bool:
    return any(part in INTERFACE_PARTS or part.endswith("_urls") for part in module.split("."))


def is_ui(imported: str) -> bool:
    return any(part in UI_PARTS for part in imported.split(".")[1:])


def our_modules(packages) -> list[tuple[str, Path]]:
    return [
        (module_name(path), path)
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if ".venv" not in path.parts
    ]


def shop_imports(module: str, source: str, is_package: bool = False) -> list[str]:
    return sorted(
        name for name in imported_modules(source, module, is_package=is_package) if name.split(".")[0] == "shop"
    )


def ui_imports(module: str, source: str, is_package: bool = False) -> list[str]:
    if is_interface(module):
        return []
    return sorted(
        name
        for name in imported_modules(source, module, is_package=is_package)
        if name.split(".")[0] in OUR_PACKAGES and is_ui(name)
    )


def violations(rule, packages) -> list[str]:
    found = []
    for module, path in our_modules(packages):
        names = rule(module, path.read_text(encoding="utf-8"), path.name == "__init__.py")
        found.extend(f"{module} imports {name}" for name in names)
    return found


def test_the_domains_never_import_shop():
    assert violations(shop_imports, DOMAINS) == []


def test_only_interface_modules_import_a_view_form_or_template_tag_module():
    assert violations(ui_imports, OUR_PACKAGES) == []


def test_orders_never_import_the_checkout():
    found = [
        f"{module} imports {name}"
        for module, path in our_modules(["shop/order"])
        if ".tests" not in module
        for name in imported_modules(path.read_text(encoding="utf-8"), module)
        if name.startswith("shop.checkout")
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("catalog.csv_io", "from shop.portal import selectors", ["shop.portal", "shop.portal.selectors"]),
        ("catalog.models", "def f():\n    import shop.order.services", ["shop.order.services"]),
        ("search.index", "import_module('shop.partner.strategy')", ["shop.partner.strategy"]),
        ("cms.models", "from catalog import services", []),
        ("cms.selectors", "get_class('partner.strategy', 'Selector')", []),
    ],
)
def test_the_shop_rule_sees_every_form_of_import(module, source, expected):
    assert shop_imports(module, source) == expected


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (
            "shop.order.emails",
            "from catalog.templatetags.ocop_tags import badge_label",
            ["catalog.templatetags.ocop_tags", "catalog.templatetags.ocop_tags.badge_label"],
        ),
        ("catalog.csv_io", "from . import forms", ["catalog.forms"]),
        ("shop.order.services", "def f():\n    from shop.checkout import views", ["shop.checkout.views"]),
        ("catalog.receivers", "get_class('shop.portal.views', 'X')", ["shop.portal.views"]),
        ("shop.portal.views", "from shop.portal import forms", []),  # a view may use a form
        ("shop.portal.moderation_urls", "from shop.portal import views", []),
        ("catalog.services", "from catalog import models", []),
    ],
)
def test_the_interface_rule_sees_a_rule_module_import_a_ui_module(module, source, expected):
    assert ui_imports(module, source) == expected
