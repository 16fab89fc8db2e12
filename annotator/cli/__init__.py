"""The ``annotator`` command: a thin click layer over the library.

With no sub-command it starts the window on the sample project. Each module of this package
adds the commands of one subject to ``main``; they are the only code that prints or chooses an
exit status.
"""

from __future__ import annotations

import os

import click

from .. import __version__


def _self_test(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from ..launch import display_available
    from ..selftest import run_self_test

    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    ctx.exit(run_self_test())


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="annotator")
@click.option("--self-test", is_flag=True, is_eager=True, expose_value=False, callback=_self_test,
              help="Check this installation: open a throw-away sample project in the window "
                   "(offscreen without a display), print each step, exit 0 if all pass.")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Label entities and attributed claims in news articles; export spaCy training data.

    Run without a command to open the window on the sample project.
    """
    if ctx.invoked_subcommand is None:
        from .project_commands import open_project

        ctx.invoke(open_project, project=None)


# Registration: each module decorates its commands with ``@main.command``.
from . import (  # noqa: E402,F401
    agreement_commands, interchange_commands, model_commands, project_commands, report_commands, review_commands,
    server_commands, team_commands,
    web_commands,
)

if __name__ == "__main__":  # pragma: no cover
    main()
