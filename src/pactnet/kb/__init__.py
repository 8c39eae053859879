"""The curated knowledge base: YAML files under ``kb/data/`` and their loader and validator."""

from __future__ import annotations

from .validate import DATA_DIR, KnowledgeBase, kb_files, load_files

__all__ = ["DATA_DIR", "KnowledgeBase", "kb_files", "load_kb"]


def load_kb(kb_dir=None) -> KnowledgeBase:  # noqa: ANN001 - str | Path | None
    """Load and validate the knowledge base (the shipped one, or the files in ``kb_dir``)."""
    return load_files(kb_dir)
