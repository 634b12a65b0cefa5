"""How the client reaches an endpoint: the URL aiodocker is given and the TLS context."""

from __future__ import annotations

import ssl

from .endpoint import TLS, Endpoint


def ssl_context(tls: TLS) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(tls.ca) if tls.ca else None)
    if not tls.verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if tls.cert and tls.key:
        ctx.load_cert_chain(str(tls.cert), str(tls.key))
    return ctx


def client_url(endpoint: Endpoint) -> str:
    if endpoint.host.startswith("tcp://"):
        scheme = "https" if endpoint.tls else "http"
        return f"{scheme}://{endpoint.host.removeprefix('tcp://')}"
    return endpoint.host
