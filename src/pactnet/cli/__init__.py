"""The ``pactnet`` command line: one shell for every command.

Each command parses its options, calls one library function and prints the result. Every error a user can
cause (:class:`~pactnet.errors.PactnetError`, a file-system error, a missing optional dependency) is printed
by this shell as one ``Error: ...`` line, with the library's parameter names translated to the command's
flags, and exits with status 2. Heavy libraries are imported inside the commands, so ``pactnet --help`` is
fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from pactnet.errors import MissingExtra, PactnetError

__all__ = ["main"]

#: Top-level module of an optional dependency -> the extra that installs it.
EXTRAS = {"numba": "models", "matplotlib": "viz", "starlette": "web", "uvicorn": "web", "plotly": "web",
          "kaleido": "web",
          "dask": "sim", "distributed": "sim", "mesa": "dev", "playwright": "dev", "mkdocs": "docs"}
#: Library parameter -> flag, where the flag is not ``--`` plus the parameter's name.
_FLAG_NAMES = {"start": "--from", "end": "--to", "fmt": "--format", "attributes": "--with", "sort_by": "--sort"}


def _flag(command: click.Command | None, param: str) -> str:
    if command is not None:
        for p in command.params:
            if p.name == param or (param == "format" and p.name == "fmt") or (param == "attributes" and
                                                                                 p.name == "with_"):
                if isinstance(p, click.Argument):
                    return p.human_readable_name
                longs = [o for o in p.opts if o.startswith("--")]
                return longs[0] if longs else p.opts[0]
    return _FLAG_NAMES.get(param, "--" + param.replace("_", "-"))


def _message(exc: PactnetError, command: click.Command | None) -> str:
    text = str(exc)
    param = getattr(exc, "param", None)
    if param and text.startswith(f"{param}: "):
        text = f"{_flag(command, param)}: {text[len(param) + 2:]}"
    return text


class Command(click.Command):
    """A command whose library errors name its own flags."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PactnetError as exc:
            exc.cli_command = self  # type: ignore[attr-defined]
            raise
        except ModuleNotFoundError as exc:
            root = (exc.name or "").split(".")[0]
            if root in EXTRAS:
                raise MissingExtra(EXTRAS[root], root, f"'pactnet {ctx.command_path.split(' ', 1)[-1]}'") from None
            raise


class Group(click.Group):
    """The error-handling shell: every :class:`PactnetError` and ``OSError`` becomes ``Error: ...`` lines on
    stderr and exit status 2; anything else is a bug and keeps its traceback."""

    command_class = Command
    group_class = type  # subgroups are Groups too

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """As click's, but a usage error (a bad option value) is one ``Error:`` line too."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if getattr(exc, "ctx", None) else ""
            click.echo(f"Error: {exc.format_message()}{where}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        if ctx.parent is not None:  # only the outermost group prints
            return super().invoke(ctx)
        try:
            return super().invoke(ctx)
        except PactnetError as exc:
            errors = getattr(exc, "all_errors", None) or [exc]
            command = getattr(exc, "cli_command", None)
            for err in errors:
                click.echo(f"Error: {_message(err, command)}", err=True)
            if len(errors) > 1:
                click.echo(f"{len(errors)} errors", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except ModuleNotFoundError as exc:  # a command outside this shell's Command class
            root = (exc.name or "").split(".")[0]
            if root not in EXTRAS:
                raise
            click.echo(f"Error: {MissingExtra(EXTRAS[root], root, 'this command')}", err=True)
            ctx.exit(2)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pactnet")
def main() -> None:
    """pactnet: US alliances and security partnerships as sourced, time-stamped data.

    Start with 'pactnet build', then 'pactnet ties --patron USA --at 2021-12-31'.
    """


#: Modules whose commands join the shell (module, names); each is imported when the shell loads, and keeps
#: its heavy imports inside the commands.
COMMAND_MODULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pactnet.cli.query", ("validate", "build", "ties", "allies", "snapshot", "portfolio", "diff", "history",
                           "events", "sources", "actors", "attributes", "summary")),
    ("pactnet.cli.datasets", ("import_cmd", "fetch")),
    ("pactnet.cli.panel", ("panel",)),
    ("pactnet.cli.landscape", ("landscape",)),
    ("pactnet.cli.sim", ("sim",)),
    ("pactnet.cli.web", ("serve", "report", "figure")),
    ("pactnet.cli.indicators", ("indicators",)),
)


def _register() -> None:
    for module, names in COMMAND_MODULES:
        mod = importlib.import_module(module)
        for name in names:
            main.add_command(getattr(mod, name))


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
