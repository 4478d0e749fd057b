"""No server-side request to a user-supplied address (item 28): an AST scan of the application's
modules finds network clients only where the address is the operator's setting, and the PDF
renderer fetches nothing from the network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]  # src/jixiao
NETWORK = ("urllib.request", "http.client", "socket", "requests", "httpx", "urllib3", "aiohttp", "ftplib",
           "pycurl", "websocket")
# Module → why its network use is not a user-supplied address.
ALLOWED = {
    "supervision/channels.py": "the group-chat webhook URL is settings.JIXIAO_WEBHOOK_URL (the operator's)",
}


def _network_imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for n in names:
            if any(n == m or n.startswith(m + ".") for m in NETWORK):
                found.add(n)
    return found


def test_item_28_network_clients_only_where_the_address_is_the_operators() -> None:
    offenders = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in f"/{rel}" or rel.startswith("benchmarks/"):  # benches call their own loopback server
            continue
        found = _network_imports(ast.parse(path.read_text(encoding="utf-8")))
        if found and rel not in ALLOWED:
            offenders[rel] = sorted(found)
    assert offenders == {}
    channels = (SRC / "supervision/channels.py").read_text(encoding="utf-8")
    assert "settings.JIXIAO_WEBHOOK_URL" in channels


def test_item_28_the_pdf_renderer_fetches_no_url() -> None:
    pytest.importorskip("weasyprint")
    from jixiao.core.exports import local_fetcher

    fetch = local_fetcher()
    for url in ("http://169.254.169.254/latest/meta-data/", "https://example.org/x.png", "ftp://h/x"):
        with pytest.raises(Exception, match=r"(?i)protocol|allowed"):
            fetch(url)
