"""Logging in to a registry and out again, as ``docker login`` / ``docker logout`` do: the engine
checks the user and password with the registry (``POST /auth``), then :mod:`.credentials` keeps
them (helper or ``auths``). A refusal is one sentence; the secret never appears in one."""

from __future__ import annotations

import asyncio
from pathlib import Path

from .client import Engine
from .credentials import HUB, erase, registry_of, server_key, store
from .errors import EngineError


def normalise_registry(text: str) -> str:
    """What a person types (``docker.io``, ``https://index.docker.io/v1/``, ``localhost:5000``,
    ``http://127.0.0.1:5000/``) as the index name the CLI uses."""
    text = text.strip()
    if not text:
        return HUB
    host = text.split("://", 1)[-1].split("/", 1)[0]
    if not host or any(c.isspace() for c in host):
        raise EngineError(f"'{text}' is not a registry host (e.g. registry.example.com or 127.0.0.1:5000).", kind="input")
    return registry_of(host + "/x")


def refusal(message: str, registry: str, *, had_credentials: bool, user: str = "") -> str | None:
    """The one sentence for a registry's refusal seen in an engine message (login, pull or push),
    or None when the message is about something else."""
    low = message.lower()
    if "x509" in low or "certificate" in low:
        return (f"{registry} presents a certificate this engine does not trust (self-signed or an unknown CA); "
                "nothing was stored. Install its CA for the engine (/etc/docker/certs.d) or list it as an insecure registry.")
    auth_words = ("unauthorized", "authentication required", "no basic auth credentials", "incorrect username or password",
                  "may require 'docker login'", "denied", "401")
    if not any(w in low for w in auth_words):
        return None
    if not had_credentials:
        return f"{registry} wants a login and none is stored for it: log in with Y (or docker login {registry})."
    who = f" for {user}" if user else ""
    return f"{registry} refused the stored credentials{who} (wrong or expired): log in again with Y."


def unreachable(message: str, registry: str) -> str | None:
    low = message.lower()
    if any(w in low for w in ("connection refused", "no such host", "i/o timeout", "network is unreachable", "dial tcp", "timeout")):
        return f"The engine cannot reach {registry} (connection refused, no route or no DNS); nothing was stored."
    return None


def _login_refusal(text: str, registry: str, user: str) -> str:
    sentence = refusal(text, registry, had_credentials=True)
    if sentence and "certificate" not in sentence:
        return f"{registry} refused the login for {user}: wrong user name, password or token."
    return sentence or unreachable(text, registry) or f"The login to {registry} failed: {text}"


async def login(engine: Engine, registry: str, user: str, secret: str, folder: Path | None = None) -> str:
    """Check ``user``/``secret`` with the engine, then store them; the success sentence.
    Raises :class:`EngineError` with one sentence on refusal (nothing stored then)."""
    if not user:
        raise EngineError("A user name is needed.", kind="input")
    if not secret:
        raise EngineError("A password or token is needed.", kind="input")
    server = server_key(registry)
    body = {"username": user, "password": secret, "serveraddress": server}
    try:
        answer = await engine.call("POST", "auth", f"the login to {registry}", body=body, timeout=60)
    except EngineError as exc:
        raise EngineError(_login_refusal(exc.message.replace(secret, "***"), registry, user), kind="login") from None
    finally:
        body.clear()
    token = str(answer.get("IdentityToken") or "") if isinstance(answer, dict) else ""
    where = await asyncio.to_thread(store, registry, user, secret, token, folder)
    return f"Logged in to {registry} as {user}; the login is kept in {where}."


async def logout(registry: str, folder: Path | None = None) -> str:
    where = await asyncio.to_thread(erase, registry, folder)
    if where is None:
        return f"No login was stored for {registry}."
    return f"Logged out of {registry} (removed from {where})."
