"""Loads a service's config.yaml with ${ENV_VAR:default} values, exactly as `nameko run` does."""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from functools import partial
from pathlib import Path
from urllib.parse import quote

import yaml
from nameko.cli.main import IMPLICIT_ENV_VAR_MATCHER, env_var_constructor

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"
SERVICE_NAMES = ("intake", "evidence", "casework", "notify")

# Settings whose own name ends in _FILE and means a path the service opens itself (a PEM, a CA, a
# calendar): never read as "the value of the setting without _FILE". NETRA_DOSSIER_SIGNING_KEY (the
# JSON seal) therefore comes from NETRA_SECRETS_DIR, not from a _FILE variable.
PATH_SETTINGS = frozenset({
    "NETRA_DOSSIER_SIGNING_KEY_FILE", "NETRA_DOSSIER_SIGNING_CERT_FILE", "NETRA_DOSSIER_SIGNING_CHAIN_FILE",
    "NETRA_SMTP_CA_FILE", "NETRA_HOLIDAYS_FILE", "NETRA_RETENTION_FILE", "NETRA_SESSION_FILE",
})
# A password given apart from its URL (as a file), put into the URL that names the user.
URL_PASSWORDS = {"NETRA_DB_PASSWORD": "NETRA_DB_URL", "NETRA_AMQP_PASSWORD": "NETRA_AMQP_URI"}
_NAME = re.compile(r"NETRA_[A-Z0-9_]+")


class SecretFileError(RuntimeError):
    """A secret named as a file that cannot be used: the process refuses to start."""


def _read_secret(path: str | os.PathLike, name: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise SecretFileError(f"{name}: cannot read the secret file {path}: {exc.strerror}") from exc


def _give(environ: MutableMapping[str, str], name: str, value: str, source: str) -> None:
    if environ.get(name, value) != value:
        raise SecretFileError(f"{name} is set both in the environment and in {source}, to different values")
    environ[name] = value


def _with_password(urls: str, password: str) -> str:
    """`scheme://user@host...` with the password after the user; a URL that has one keeps it.
    Each of several broker URLs (kombu's failover list, `amqp://a;amqp://b`) gets it."""
    return ";".join(_one_with_password(url, password) for url in urls.split(";"))


def _one_with_password(url: str, password: str) -> str:
    scheme, sep, rest = url.partition("://")
    userinfo, at, hosts = rest.partition("@")
    if not sep or not at or ":" in userinfo:
        return url
    return f"{scheme}://{userinfo}:{quote(password, safe='')}@{hosts}"


def load_secret_files(environ: MutableMapping[str, str] | None = None) -> None:
    """Secrets given as files become settings before any setting is read, so that no secret need
    be in a container's environment or on a command line (deploy/production/README.md):

    - every file in NETRA_SECRETS_DIR (docker secrets: /run/secrets) named like a Netra setting,
      e.g. /run/secrets/NETRA_GRANT_SIGNING_KEY, is that setting;
    - NETRA_NAME_FILE=/path is NETRA_NAME, for every such variable that is not a path setting;
    - NETRA_DB_PASSWORD / NETRA_AMQP_PASSWORD (from either) go into NETRA_DB_URL / NETRA_AMQP_URI,
      which then name the user and host only.
    A setting given twice with different values, or a file that cannot be read, is refused."""
    environ = os.environ if environ is None else environ
    folder = environ.get("NETRA_SECRETS_DIR")
    if folder:
        if not Path(folder).is_dir():
            raise SecretFileError(f"NETRA_SECRETS_DIR: {folder} is not a folder this process can read")
        for path in sorted(Path(folder).iterdir()):
            if _NAME.fullmatch(path.name) and path.is_file():
                _give(environ, path.name, _read_secret(path, path.name), str(path))
    for key in sorted(environ):
        if key.endswith("_FILE") and key not in PATH_SETTINGS and _NAME.fullmatch(key) and environ[key]:
            _give(environ, key[:-5], _read_secret(environ[key], key), key)
    for password_name, url_name in URL_PASSWORDS.items():
        if environ.get(password_name) and environ.get(url_name):
            environ[url_name] = _with_password(environ[url_name], environ[password_name])


class EnvLoader(yaml.SafeLoader):
    """yaml's SafeLoader with nameko's ${VAR:default} substitution, as its own class: nameko's
    setup_yaml_parser() teaches it to yaml.SafeLoader itself, so every later yaml.safe_load in
    the process (a compose file, a seed list) would quietly substitute too."""


EnvLoader.add_constructor("!env_var", env_var_constructor)
EnvLoader.add_constructor("!raw_env_var", partial(env_var_constructor, raw=True))
EnvLoader.add_implicit_resolver("!env_var", IMPLICIT_ENV_VAR_MATCHER, None)


def load_yaml_with_env(path: str | os.PathLike) -> dict:
    """Read a YAML file, substituting ${VAR:default} from the environment."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=EnvLoader) or {}  # noqa: S506 - EnvLoader is a SafeLoader


BASE_CONFIG = Path(__file__).resolve().parent / "base_config.yaml"


def service_config_path(service: str) -> Path:
    return SERVICES_DIR / service / "config.yaml"


def load_service_config(service: str) -> dict:
    """What a service runs with: the shared base config, then its own config.yaml on top."""
    config = load_yaml_with_env(BASE_CONFIG)
    config.update(load_yaml_with_env(service_config_path(service)))
    config["LOGGING"]["formatters"]["event"]["service"] = service
    return config
