"""Runs one Netra service: `python -m netra_common.runner intake`.

Like `nameko run`, but with the shared base config merged under the service's
own, and eventlet's monkey patching done before anything else is imported.
"""

from __future__ import annotations

import eventlet  # noqa: E402

import netra_common  # noqa: F401 - first, for its warning filter

eventlet.monkey_patch()

import importlib  # noqa: E402
import logging.config  # noqa: E402
import sys  # noqa: E402

from nameko.cli.run import run  # noqa: E402

from netra_common.config import SERVICE_NAMES, load_service_config  # noqa: E402


def service_class(service: str):
    module = importlib.import_module(f"services.{service}.service")
    return module.SERVICE


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in SERVICE_NAMES:
        sys.stderr.write(f"usage: python -m netra_common.runner {{{'|'.join(SERVICE_NAMES)}}}\n")
        sys.exit(2)
    config = load_service_config(argv[0])
    logging.config.dictConfig(config["LOGGING"])
    run([service_class(argv[0])], config)


if __name__ == "__main__":
    main()
