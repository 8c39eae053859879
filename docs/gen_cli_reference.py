"""Regenerate docs/cli.md from the real ``--help`` of every command: ``python docs/gen_cli_reference.py``.

``tests/test_docs.py`` fails when docs/cli.md is out of date.
"""

from __future__ import annotations

from pathlib import Path

import click

OUT = Path(__file__).with_name("cli.md")


def _walk(cmd: click.Command, path: list[str]):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            yield from _walk(cmd.commands[name], [*path, name])


def render() -> str:
    from pactnet.cli import main

    parts = ["# Command-line reference", "",
             "Generated from each command's `--help` by `docs/gen_cli_reference.py`; do not edit by hand.", ""]
    for path, cmd in _walk(main, ["pactnet"]):
        with click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100,
                           help_option_names=["-h", "--help"]) as ctx:
            text = cmd.get_help(ctx)
        parts += [f"## `{' '.join(path)}`", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    from _generated import main

    main(render, OUT)
