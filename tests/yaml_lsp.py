"""A small language-server client for the tests: it drives yaml-language-server (the server
behind VS Code's YAML extension) over stdio, as the editor would, and collects the diagnostics
it publishes for each opened file.

What the server needs, found by trying it (1.25.0): settings travel only in the answer to its
``workspace/configuration`` requests; a ``textDocument/codeLens`` request for a file that is not
open waits until they are applied (so nothing is validated with defaults first); each opened
file then gets one ``publishDiagnostics`` about 200 ms later.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

from tests.helpers import ROOT

SERVER = ROOT / "tools" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


class _Client:
    def __init__(self, settings: dict, cwd: Path):
        self.settings = settings
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.lock = threading.Lock()
        self.changed = threading.Condition()
        self.pending: dict[int, queue.Queue] = {}
        self.next_id = 0
        self.configured = 0
        self.published: dict[str, list] = {}
        self.last = 0.0
        threading.Thread(target=self._read, daemon=True).start()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:  # the headers, up to an empty line
                line = out.readline()
                if not line:
                    return  # the server has exited
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is not None:
                self._dispatch(json.loads(out.read(length).decode("utf-8")))

    def _dispatch(self, message: dict) -> None:
        method = message.get("method")
        if method and "id" in message:  # a request from the server
            result = None
            if method == "workspace/configuration":
                result = [self.settings if item.get("section") == "yaml" else {}
                          for item in message["params"]["items"]]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            if method == "workspace/configuration":
                with self.changed:
                    self.configured += 1
                    self.changed.notify_all()
        elif method == "textDocument/publishDiagnostics":
            with self.changed:
                self.published[message["params"]["uri"]] = message["params"]["diagnostics"]
                self.last = time.monotonic()
                self.changed.notify_all()
        elif "id" in message and message["id"] in self.pending:
            self.pending.pop(message["id"]).put(message)

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        answer: queue.Queue = queue.Queue()
        self.pending[self.next_id] = answer
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return answer.get(timeout=60)

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, predicate, what: str, seconds: float = 60) -> None:
        with self.changed:
            assert self.changed.wait_for(predicate, timeout=seconds), f"no {what}"


def diagnostics(files: list[Path], schemas: dict[str, list[str]] | None = None
                ) -> dict[Path, list[dict]]:
    """The diagnostics yaml-language-server gives each file (all opened in one server).
    ``schemas`` is VS Code's ``yaml.schemas`` setting: schema path -> file globs."""
    files = [f.resolve() for f in files]
    root = Path(os.path.commonpath([str(f.parent) for f in files]))
    settings = {"validate": True, "schemas": schemas or {}, "schemaStore": {"enable": False},
                "kubernetesCRDStore": {"enable": False}, "format": {"enable": False},
                "hover": False, "completion": False}
    client = _Client(settings, root)
    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"workspace": {"configuration": True,
                                           "didChangeConfiguration": {}}}})
        client.notify("initialized", {})
        client.wait(lambda: client.configured >= 1, "configuration request")
        client.notify("workspace/didChangeConfiguration", {"settings": {"yaml": settings}})
        client.wait(lambda: client.configured >= 2, "second configuration request")
        client.request("textDocument/codeLens",
                       {"textDocument": {"uri": (root / "__not_open__.yaml").as_uri()}})
        for file in files:
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": file.as_uri(), "languageId": "yaml", "version": 1,
                "text": file.read_text("utf-8-sig")}})
        client.wait(lambda: all(f.as_uri() in client.published for f in files), "diagnostics")
        while time.monotonic() - client.last < 0.5:  # nothing more comes
            time.sleep(0.1)
        return {f: client.published[f.as_uri()] for f in files}
    finally:
        try:
            client.request("shutdown", None)
            client.notify("exit", None)
            client.proc.wait(timeout=10)
        except Exception:
            client.proc.kill()
