"""Every platform declares the option keys it reads; unknown keys are reported with their place in the file."""

from __future__ import annotations

import ast
import functools
import importlib
import socket
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from collectors import MODULES, WEB_PLATFORMS, known_options, option_problems, platform_module
from collectors.base import SourceContext
from collectors.web import settings as web_settings
from social_listen.config import BrandConfig, SourceConfig, parse_config
from social_listen.errors import ConfigError

PLATFORMS = sorted(MODULES)
COLLECTORS = Path(__file__).resolve().parents[2] / "collectors"
# Every credential any platform takes, so that building never stops early at a missing one.
CREDENTIALS = {key: f"dummy-{key}" for key in (
    "api_key", "oauth_token", "refresh_token", "client_id", "client_secret", "bearer_token", "consumer_key",
    "consumer_secret", "access_token", "access_token_secret", "oauth2_user_token", "page_token", "username",
    "app_password",
)}  # fmt: skip
TARGETS = {"google_reviews": "accounts/1/locations/2", "file": "rows.csv",
           "web_reviews": "https://shop.example/p", "web_comments": "https://blog.example/post/"}  # fmt: skip
# Options a builder refuses to go without (the Trustpilot publisher needs the user who signs replies).
REQUIRED = {"trustpilot": {"business_user_id": "user-1"}}


class RecordingOptions(dict[str, Any]):
    """A source's options that remember every key asked for, however it is asked."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail loudly if anything opens a connection (building a collector must not call the platform)."""
    attempts: list[Any] = []

    def refuse(sock: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"network connection attempted while building: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts


def recording_context(platform: str, tmp_path: Path) -> tuple[SourceContext, RecordingOptions]:
    source = SourceConfig(name="s", brand="B", platform=platform, target=TARGETS.get(platform, "target-1"),
                          base_url="http://127.0.0.1:9", options=REQUIRED.get(platform, {}))  # fmt: skip
    options = RecordingOptions(source.options)
    context = SourceContext(
        source=source.model_copy(update={"options": options}), brand=BrandConfig(name="B"),
        credentials=CREDENTIALS, config_dir=tmp_path,
    )  # fmt: skip
    return context, options


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_option_a_collector_and_its_publisher_read_while_building_is_declared(
    platform: str, tmp_path: Path, no_network: list[Any]
) -> None:
    module = platform_module(platform)
    context, options = recording_context(platform, tmp_path)
    module.create(context)
    if hasattr(module, "create_publisher"):
        module.create_publisher(context)
    assert not no_network
    assert options.asked <= module.OPTIONS, f"{platform} reads undeclared options"


@functools.cache
def _tree(name: str) -> ast.Module:
    file = importlib.import_module(name).__file__
    assert file is not None, f"{name} has no source file"
    return ast.parse(Path(file).read_text(encoding="utf-8"))


def _defined(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    if isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def _helper_imports(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Names imported from other collectors modules (not the shared base): local name -> (module, name)."""
    found = {}
    for node in ast.walk(tree):
        source = node.module or "" if isinstance(node, ast.ImportFrom) else ""
        if (
            isinstance(node, ast.ImportFrom)
            and source.startswith("collectors.")
            and source != "collectors.base"
        ):
            found.update({a.asname or a.name: (source, a.name) for a in node.names})
    return found


def platform_code(module: ModuleType) -> list[ast.stmt]:
    """The code a platform runs: its whole module (a package: every file in it) and, from the collectors
    helpers it imports, the definitions of the imported names and of whatever those use in turn."""
    names = [module.__name__]
    if module.__file__ and Path(module.__file__).name == "__init__.py":
        names += [
            f"{module.__name__}.{p.stem}" for p in sorted(Path(module.__file__).parent.glob("[!_]*.py"))
        ]
    chosen: list[ast.stmt] = []
    todo: list[tuple[str, ast.stmt]] = [(name, s) for name in names for s in _tree(name).body]
    seen: set[tuple[str, str]] = set()
    while todo:
        where, statement = todo.pop()
        chosen.append(statement)
        tree = _tree(where)
        local = {n: s for s in tree.body for n in _defined(s)}
        imported = _helper_imports(tree)
        for used in {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}:
            target = (where, used) if used in local else imported.get(used)
            if target is None or target in seen or target[0] in names:
                continue
            seen.add(target)
            helper = {n: s for s in _tree(target[0]).body for n in _defined(s)}
            if target[1] in helper:
                todo.append((target[0], helper[target[1]]))
    return chosen


def _is_declaration(node: ast.AST) -> bool:
    return isinstance(node, ast.Assign | ast.AnnAssign) and any(
        name.endswith("OPTIONS") for name in _defined(node)
    )


def _outside_declarations(nodes: list[ast.stmt]) -> Iterator[ast.AST]:
    todo: list[ast.AST] = [n for n in nodes if not _is_declaration(n)]
    while todo:
        node = todo.pop()
        yield node
        todo += [child for child in ast.iter_child_nodes(node) if not _is_declaration(child)]


def words_used(code: list[ast.stmt]) -> set[str]:
    """String constants and identifiers of the code, leaving out the ``*OPTIONS`` declarations."""
    words: set[str] = set()
    for node in _outside_declarations(code):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.add(node.value)
        elif isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            words.add(node.arg)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            words.add(node.target.id)  # a dataclass field filled from the options (CommentProfile)
    return words


def option_keys_named(code: list[ast.stmt]) -> set[str]:
    """Keys the code asks for: ``context.option("k")``, ``_number(context, "k")``, ``options.get("k")``,
    ``options["k"]`` and ``"k" in ....options`` (reads made while collecting too, not only building)."""

    def literal(node: ast.AST | None) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def named(node: ast.AST, suffix: str) -> bool:
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return name.endswith(suffix)

    keys: set[str | None] = set()
    for statement in code:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                reads = (node.func.attr == "option" and named(node.func.value, "context")) or (
                    node.func.attr == "get" and named(node.func.value, "options")
                )
                if reads:
                    keys.add(literal(node.args[0]))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_number":
                keys.add(literal(node.args[1]) if len(node.args) > 1 else None)
            elif isinstance(node, ast.Subscript) and named(node.value, "options"):
                keys.add(literal(node.slice))
            elif isinstance(node, ast.Compare) and any(named(c, "options") for c in node.comparators):
                keys.add(literal(node.left))
    return {key for key in keys if key is not None}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_option_key_named_in_a_platforms_code_is_declared(platform: str) -> None:
    module = platform_module(platform)
    named = option_keys_named(platform_code(module))
    assert named, f"the scan found no option reads in {platform}'s code"
    assert named <= module.OPTIONS


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_declared_option_is_used_in_the_platforms_code(platform: str) -> None:
    module = platform_module(platform)
    assert isinstance(module.OPTIONS, frozenset) and module.OPTIONS
    assert not module.OPTIONS - words_used(platform_code(module)), f"stale declarations in {platform}"


def config_with(platform: str, options: dict[str, Any], file: str = "sl.toml") -> Any:
    sources = [
        {"name": "ok", "brand": "B", "platform": "file", "target": "a.csv"},
        {"name": "s", "brand": "B", "platform": platform, "target": TARGETS.get(platform, "t"), "options": options},
    ]  # fmt: skip
    return parse_config({"brands": [{"name": "B"}], "sources": sources}, Path(file))


def test_a_misspelt_option_is_named_with_file_field_known_keys_and_the_close_one() -> None:
    problems = option_problems(config_with("youtube", {"lag_minute": 30, "inventory_hours": 1}))
    assert problems == [
        "sl.toml: sources[1].options.lag_minute: unknown option for youtube; expected one of backfill_days, "
        "inventory_hours, lag_minutes, page_size, timeout, token_uri; did you mean 'lag_minutes'?"
    ]


def test_an_unknown_option_with_nothing_close_gets_no_guess_and_each_key_its_own_line() -> None:
    problems = option_problems(config_with("trustpilot", {"qqq": "red", "zzz": 1}))
    assert [p.split(": ")[1] for p in problems] == ["sources[1].options.qqq", "sources[1].options.zzz"]
    assert all("did you mean" not in p for p in problems)
    assert "expected one of backfill_days, business_name, business_user_id, lag_minutes" in problems[0]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_declared_option_is_accepted(platform: str) -> None:
    module = platform_module(platform)
    assert option_problems(config_with(platform, dict.fromkeys(module.OPTIONS, 1))) == []


def test_import_mapping_options_are_accepted_on_api_sources_but_refused_on_web_sources() -> None:
    mapping = {"columns": {"text": "mensaje"}, "kind": "comment", "timezone": "Europe/Madrid"}
    assert option_problems(config_with("facebook", mapping)) == []
    problems = option_problems(config_with("web_comments", {"columns": {}}))
    assert len(problems) == 1 and problems[0].startswith(
        "sl.toml: sources[1].options.columns: unknown option for web_comments; "
    )


def test_web_sources_are_checked_against_the_crawler_settings_table() -> None:
    for platform in WEB_PLATFORMS:
        assert known_options(platform) == frozenset(web_settings.OPTIONS)
    problems = option_problems(config_with("web_reviews", {"max_pagez": 3}))
    assert problems and "did you mean 'max_pages'?" in problems[0]
    with pytest.raises(ConfigError, match="max_pagez"):  # the collector's own check refuses the same key
        web_settings.check_options({"max_pagez": 3})
