"""Loads a service's config.yaml with ${ENV_VAR:default} values, exactly as `nameko run` does."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import yaml
from nameko.cli.main import IMPLICIT_ENV_VAR_MATCHER, env_var_constructor

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"
SERVICE_NAMES = ("intake", "evidence", "casework", "notify")



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
