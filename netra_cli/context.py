"""What every command shares: the server, the session, the client, and how failures end the program.

Exit codes: 0 done; 1 the API refused (its message and HTTP status are shown); 2 wrong usage;
3 not logged in or the session has ended; 4 the server cannot be reached.
"""

from __future__ import annotations

from pathlib import Path

import click

from netra_cli import client as api
from netra_cli import output, session

EXIT_REFUSED, EXIT_SESSION, EXIT_UNREACHABLE = 1, 3, 4


class Failure(click.ClickException):
    """A failure already worded for the user; shown on stderr without click's 'Error:' prefix."""

    def __init__(self, message: str, exit_code: int = EXIT_REFUSED):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


class App:
    """The server and session file this run uses (from options or the environment)."""

    def __init__(self, url: str | None, session_file: str | None):
        self.url = api.server_url(url)
        self.session_file: Path = session.session_path(session_file)
        self.case_label: str | None = None  # the case the user named, for hints in error messages

    def session(self) -> dict:
        return session.load(self.session_file, self.url)

    def client(self) -> api.Client:
        """A client with the stored token, or NotLoggedIn telling the user to run `netra login`."""
        return api.Client(self.url, self.session()["token"])

    def anonymous(self) -> api.Client:
        return api.Client(self.url)

    def case_id(self, client: api.Client, ref: str) -> str:
        """The id of the case the user named by id or number."""
        self.case_label = ref
        try:
            return api.resolve_case(client, ref)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="CASE") from None


pass_app = click.make_pass_decorator(App)


class NetraGroup(click.Group):
    """A click group that turns the client's exceptions into worded failures and exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # In the order they are added (a session, reading, the case's path, outputs), not a-z.
        return list(self.commands)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except session.NotLoggedIn as exc:
            raise Failure(str(exc), EXIT_SESSION) from None
        except api.CaseNotFound as exc:
            raise Failure(str(exc), EXIT_REFUSED) from None
        except api.Unreachable as exc:
            raise Failure(str(exc), EXIT_UNREACHABLE) from None
        except api.ApiError as exc:
            app = ctx.find_object(App)
            code = EXIT_SESSION if exc.status == 401 and exc.code == "unauthenticated" else EXIT_REFUSED
            raise Failure(output.api_error(exc, app.case_label if app else None), code) from None


def note(message: str) -> None:
    """A remark for the person at the terminal, on stderr so stdout stays clean for scripts."""
    click.echo(message, err=True)


def otp_code(text: str) -> str:
    """A one-time code as typed (spaces and dashes allowed), or a usage error naming --otp."""
    try:
        return api.normal_otp(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--otp") from None
