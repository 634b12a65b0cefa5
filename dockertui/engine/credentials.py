"""Registry credentials found and stored the way the docker CLI does.

Finding them is the docker SDK's own resolution (``docker.auth``): ``auths`` in
``$DOCKER_CONFIG/config.json`` (default ``~/.docker``), then ``credsStore`` and per-registry
``credHelpers`` (the ``docker-credential-<name>`` programs). Registry names are normalised as the
CLI does (``docker.io`` = ``index.docker.io`` = ``https://index.docker.io/v1/``; ``host:port``;
``localhost``). Storing them after a login is what ``docker login`` does: through the helper when
the config names one, else an ``auths`` entry, the file rewritten whole with mode 0600.

Secrets never reach a message, a log line or an exception; a failure is one :class:`EngineError`.
The helper programs and the file are slow or blocking: call these from a thread
(``asyncio.to_thread``), as the ``*_async`` wrappers do."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import os
import subprocess
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docker import auth as docker_auth
from docker import credentials as docker_credentials
from docker import errors as docker_errors

from .endpoint import config_dir
from .errors import EngineError

NO_AUTH = base64.urlsafe_b64encode(b"{}").decode()  # the engine wants the header even without auth
HUB = docker_auth.INDEX_NAME  # docker.io
HUB_SERVER = docker_auth.INDEX_URL  # https://index.docker.io/v1/, the key the CLI stores Hub logins under
TOKEN_USER = docker_auth.TOKEN_USERNAME


@dataclass(frozen=True, slots=True, repr=False)
class Found:
    """What the lookup found for one registry. ``auth`` holds the secret: never print it."""

    registry: str  # the normalised index name: docker.io, 127.0.0.1:5000
    auth: dict[str, Any]  # the SDK's entry (username/password/serveraddress or IdentityToken)
    source: str  # where it came from, for messages: "config.json auths", "docker-credential-pass"

    @property
    def user(self) -> str:
        a = self.auth
        return str(a.get("username") or a.get("Username") or "")  # "" for an identity token alone

    @property
    def password(self) -> str:
        return str(self.auth.get("password") or self.auth.get("Password") or "")

    @property
    def token(self) -> str:
        return str(self.auth.get("IdentityToken") or self.auth.get("identitytoken") or "")

    @property
    def header(self) -> str:
        """The X-Registry-Auth value for the engine."""
        return docker_auth.encode_header(self.auth).decode()

    def __repr__(self) -> str:  # no secret in a traceback or a debugger
        return f"Found(registry={self.registry!r}, user={self.user!r}, source={self.source!r})"


def folder_of(env: Mapping[str, str] | None = None) -> Path:
    """The docker config folder, the same one endpoint resolution reads: $DOCKER_CONFIG or ~/.docker."""
    return config_dir(os.environ if env is None else env)


def registry_of(ref: str) -> str:
    """The registry an image reference lives on, normalised (``docker.io`` for Hub names)."""
    name = ref.split("@", 1)[0]
    try:
        registry, _ = docker_auth.resolve_repository_name(name)
    except docker_errors.InvalidRepository as exc:
        raise EngineError(f"{ref} is not a valid image reference ({exc}).", kind="input") from None
    return registry


def server_key(registry: str) -> str:
    """The key a login is stored under, as the CLI stores it."""
    host = docker_auth.resolve_index_name(registry.strip()) if registry.strip() else HUB
    return HUB_SERVER if host == HUB else host


def _config_path(folder: Path | None) -> Path:
    return (folder or folder_of()) / "config.json"


def _read_raw(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise EngineError(f"Cannot read {path}: {exc.strerror}.", "Check the file's permissions.", kind="credentials") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise EngineError(f"{path} is not valid JSON ({exc}).", f"Fix or remove {path}.", kind="credentials") from None
    if not isinstance(data, dict):
        raise EngineError(f"{path} is not a JSON object.", f"Fix or remove {path}.", kind="credentials")
    return data


def _auth_config(path: Path) -> docker_auth.AuthConfig:
    raw = _read_raw(path)
    if not raw:
        # never let the SDK go looking for ~/.docker when our folder has no file
        return _AuthConfig({})
    try:
        return _AuthConfig.load_config(None, dict(raw))  # the SDK's own reading, our helper runner
    except (docker_errors.InvalidConfigFile, binascii.Error, ValueError, UnicodeDecodeError, TypeError, AttributeError) as exc:
        detail = str(exc) if isinstance(exc, docker_errors.InvalidConfigFile) else "an 'auth' entry is not base64 of user:password"
        raise EngineError(f"{path} has unreadable credentials ({detail}).", f"Fix or remove the entry in {path}.", kind="credentials") from None


def _helper_failure(name: str, registry: str, exc: BaseException, secret: str = "") -> EngineError:
    cause = exc.__cause__ if isinstance(exc, docker_errors.DockerException) and exc.__cause__ else exc
    detail = " ".join(str(cause).split())
    if secret:
        detail = detail.replace(secret, "***")
    program = f"docker-credential-{name}"
    if "not installed" in detail or "not available in PATH" in detail:
        return EngineError(f"The credential helper {program} named for {registry} is not installed (not on PATH).",
                           f"Install it, or remove it from credsStore/credHelpers in config.json.", kind="credentials")
    detail = detail.removeprefix("Credentials store error: ")[:200]
    return EngineError(f"The credential helper {program} failed for {registry}: {detail}", kind="credentials")


def _helper_name(cfg: Mapping[str, Any], server: str, registry: str) -> str | None:
    helpers = cfg.get("credHelpers") or {}
    if not isinstance(helpers, dict):
        helpers = {}
    name = helpers.get(server) or helpers.get(registry) or cfg.get("credsStore")
    return str(name) if name else None


class _QuietStore(docker_credentials.Store):
    """The SDK's helper runner with the helper's stderr kept off the terminal (the dashboard owns
    it; a helper's gpg or keyring chatter would be drawn over the screen). Errors read as the SDK's."""

    def _execute(self, subcmd: str, data_input: bytes | None) -> bytes:
        if self.exe is None:
            raise docker_credentials.StoreError(f"{self.program} not installed or not available in PATH")
        env = docker_credentials.utils.create_environment_dict(self.environment)
        try:
            done = subprocess.run([self.exe, subcmd], input=data_input, env=env, capture_output=True, timeout=60, check=False)
        except subprocess.TimeoutExpired:
            raise docker_credentials.StoreError(f"{self.program} did not answer within 60 s") from None
        except OSError as exc:
            raise docker_credentials.StoreError(f"{self.program} could not run ({exc.strerror})") from None
        if done.returncode != 0:
            done.stdout = done.stdout or done.stderr  # the protocol says stdout; some helpers use stderr
            raise docker_credentials.errors.process_store_error(
                subprocess.CalledProcessError(done.returncode, done.args, done.stdout), self.program)
        return done.stdout


class _AuthConfig(docker_auth.AuthConfig):
    """``docker.auth.AuthConfig`` whose helpers run through :class:`_QuietStore`."""

    def _get_store_instance(self, name: str) -> docker_credentials.Store:
        if name not in self._stores:
            self._stores[name] = _store(name)
        return self._stores[name]


def _store(name: str) -> docker_credentials.Store:
    with warnings.catch_warnings():  # the SDK warns on stderr when the program is missing; we say it ourselves
        warnings.simplefilter("ignore")
        return _QuietStore(name)


def find(registry: str, folder: Path | None = None) -> Found | None:
    """The credentials the docker CLI would use for ``registry`` (an index name or a reference's
    registry), or None. Blocking (it may run a helper program)."""
    registry = docker_auth.resolve_index_name(registry) if registry else HUB
    path = _config_path(folder)
    cfg = _auth_config(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            entry = cfg.resolve_authconfig(registry)
        except docker_errors.DockerException as exc:
            raise _helper_failure(cfg.get_credential_store(registry) or "?", registry, exc) from None
    if not entry:
        return None
    store = cfg.get_credential_store(registry)
    source = f"docker-credential-{store}" if store and ("ServerAddress" in entry) else f"auths in {path}"
    return Found(registry, dict(entry), source)


def header_for(ref: str, folder: Path | None = None) -> tuple[str, Found | None]:
    """The X-Registry-Auth header for pulling or pushing ``ref`` (the empty one when nothing is
    stored) and what was found."""
    found = find(registry_of(ref), folder)
    return (found.header if found else NO_AUTH), found


async def header_for_async(ref: str, folder: Path | None = None) -> tuple[str, Found | None]:
    return await asyncio.to_thread(header_for, ref, folder)


# -- storing, as `docker login` / `docker logout` do ------------------------------------------------


def _write(path: Path, data: dict[str, Any]) -> None:
    """Rewrite the whole file atomically with mode 0600 (the folder 0700 when we create it)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config.json.", dir=path.parent)  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "w") as out:
            json.dump(data, out, indent="\t")
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise EngineError(f"Cannot write {path}: {exc.strerror}.", "Check the folder's permissions.", kind="credentials") from None


def store(registry: str, user: str, secret: str, token: str = "", folder: Path | None = None) -> str:
    """Keep a checked login: through the configured helper when there is one, else in ``auths``.
    ``token`` is the engine's identity token when it gave one (then the password is not kept).
    Returns where it went, for the message."""
    path = _config_path(folder)
    raw = _read_raw(path)
    server = server_key(registry)
    host = docker_auth.resolve_index_name(registry) if registry else HUB
    auths = raw.get("auths")
    if not isinstance(auths, dict):
        auths = {}
    for key in [k for k in auths if k != server and docker_auth.resolve_index_name(k) == host]:
        del auths[key]  # an older spelling of the same registry (https://host/v1/...)
    helper = _helper_name(raw, server, host)
    if helper:
        try:
            _store(helper).store(server, TOKEN_USER if token else user, token or secret)
        except docker_credentials.StoreError as exc:
            raise _helper_failure(helper, host, exc, secret) from None
        auths[server] = {}  # what the CLI leaves in the file: the registry is known, the secret is not here
        where = f"docker-credential-{helper}"
    else:
        if token:
            auths[server] = {"identitytoken": token}
        else:
            auths[server] = {"auth": base64.b64encode(f"{user}:{secret}".encode()).decode()}
        where = str(path)
    raw["auths"] = auths
    _write(path, raw)
    return where


def erase(registry: str, folder: Path | None = None) -> str | None:
    """Forget the login for ``registry`` (helper and file); where it was, or None if nowhere."""
    path = _config_path(folder)
    raw = _read_raw(path)
    server = server_key(registry)
    host = docker_auth.resolve_index_name(registry) if registry else HUB
    auths = raw.get("auths") if isinstance(raw.get("auths"), dict) else {}
    where: str | None = None
    helper = _helper_name(raw, server, host)
    if helper:
        try:
            _store(helper).erase(server)
            where = f"docker-credential-{helper}"
        except docker_credentials.CredentialsNotFound:
            pass
        except docker_credentials.StoreError as exc:
            if "not found" not in str(exc).lower():
                raise _helper_failure(helper, host, exc) from None
    keys = [k for k in auths if docker_auth.resolve_index_name(k) == host]
    for key in keys:
        if auths[key]:
            where = where or str(path)
        del auths[key]
    if keys:
        _write(path, raw)
    return where


@dataclass(frozen=True, slots=True)
class Known:
    """A registry the config knows credentials for (no secret here)."""

    server: str
    where: str  # "auths" or the helper program


def known(folder: Path | None = None) -> list[Known]:
    """The registries with a stored login in the file or a per-registry helper (a credsStore's own
    list is not asked: some stores prompt to unlock)."""
    raw = _read_raw(_config_path(folder))
    out: dict[str, Known] = {}
    auths = raw.get("auths") if isinstance(raw.get("auths"), dict) else {}
    helpers = raw.get("credHelpers") if isinstance(raw.get("credHelpers"), dict) else {}
    store_name = raw.get("credsStore")
    for key in auths:
        helper = helpers.get(key) or store_name
        out[key] = Known(str(key), f"docker-credential-{helper}" if helper else "auths")
    for key, helper in helpers.items():
        out.setdefault(str(key), Known(str(key), f"docker-credential-{helper}"))
    return sorted(out.values(), key=lambda k: k.server)
