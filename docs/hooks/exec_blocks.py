"""mkdocs hook: run the walk-throughs at build time, so their outputs are real and a broken example fails the build.

A fenced block opened with ```` ```python exec ```` is run (blocks of one page share one namespace, in order,
with the working directory at the repository root); it is shown as ordinary Python followed by what it printed.
Any exception stops the build with the page, the block's first line and the traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import textwrap
import traceback
from pathlib import Path

from mkdocs.exceptions import PluginError

_BLOCK = re.compile(r"^```python exec[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
ROOT = Path(__file__).resolve().parents[2]


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "```python exec" not in markdown:
        return markdown
    namespace: dict = {"__name__": f"walkthrough:{page.file.src_path}"}
    cwd = os.getcwd()

    def run(m: re.Match) -> str:
        code = m.group(1)
        out = io.StringIO()
        os.chdir(ROOT)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                exec(compile(code, f"{page.file.src_path} (block at: {code.splitlines()[0][:60]!r})", "exec"),
                     namespace)
        except Exception as exc:
            raise PluginError(f"{page.file.src_path}: a walk-through block failed:\n{textwrap.indent(code, '    ')}\n"
                              f"{traceback.format_exc()}") from exc
        finally:
            os.chdir(cwd)
        shown = f"```python\n{code}```\n"
        text = out.getvalue().rstrip()
        return shown + (f"\n```text\n{text}\n```\n" if text else "")

    return _BLOCK.sub(run, markdown)
