"""The documentation site's build hook runs the walk-throughs: output shown, a broken example fails the build."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _hook():
    pytest.importorskip("mkdocs", reason="the docs extra (pip install '.[docs]') is not installed")
    spec = importlib.util.spec_from_file_location("exec_blocks", ROOT / "docs" / "hooks" / "exec_blocks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PAGE = SimpleNamespace(file=SimpleNamespace(src_path="walk.md"))


def test_blocks_run_in_order_and_show_output():
    hook = _hook()
    md = "# T\n\n```python exec\nx = 6 * 7\n```\n\ntext\n\n```python exec\nprint(x)\n```\n\n```python\nnot run\n```\n"
    out = hook.on_page_markdown(md, PAGE, None, None)
    assert "```python\nx = 6 * 7\n```" in out and "```text\n42\n```" in out and "```python\nnot run\n```" in out


def test_broken_example_fails_the_build():
    from mkdocs.exceptions import PluginError

    hook = _hook()
    with pytest.raises(PluginError, match=r"walk.md: a walk-through block failed:(.|\n)*ZeroDivisionError"):
        hook.on_page_markdown("```python exec\n1 / 0\n```\n", PAGE, None, None)


def test_every_panel_verb_is_in_the_docs():
    import pactnet.panel as P

    text = (ROOT / "docs" / "panels.md").read_text(encoding="utf-8")
    verbs = [n for n in P.__all__ if n.startswith(("add_", "create_", "filter_"))]
    missing = [v for v in verbs if f"`{v}(" not in text]
    assert not missing, f"docs/panels.md does not show: {missing}"
    api = (ROOT / "docs" / "api" / "panel.md").read_text(encoding="utf-8")
    assert not [v for v in verbs if f"- {v}" not in api]
