"""The HTTP routes a nameko service serves, read off its class (its @api entrypoints), as OpenAPI
paths: so a test can hold a service's routes to its document, or knock on every door it has."""

from __future__ import annotations

import re

from netra_common.http import JsonHttp

# <name>, <converter:name> or <converter(arguments):name>, as werkzeug writes a rule's variable parts.
_VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<arguments>[^)]*)\))?:)?(?P<name>\w+)>")


def _expanded(url: str) -> list[str]:
    """The OpenAPI paths a werkzeug rule stands for: {name} for a variable, one path per choice of `any`."""
    found = _VARIABLE.search(url)
    if found is None:
        return [url]
    head, tail = url[:found.start()], url[found.end():]
    if found["converter"] == "any":
        choices = [c.strip().strip("'\"") for c in found["arguments"].split(",")]
        return [path for choice in choices for path in _expanded(head + choice + tail)]
    return [head + "{" + found["name"] + "}" + path for path in _expanded(tail)]


def served(service_class) -> set[tuple[str, str]]:
    """(method, path) of every HTTP entrypoint of `service_class`, methods lower-case."""
    routes = set()
    for name in dir(service_class):
        for entrypoint in getattr(getattr(service_class, name), "nameko_entrypoints", ()):
            if isinstance(entrypoint, JsonHttp):
                routes |= {(entrypoint.method.lower(), path) for path in _expanded(entrypoint.url)}
    return routes


def path_variables(path: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", path)
