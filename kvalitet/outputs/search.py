"""The site's search: Pagefind indexes the built HTML, whatever generator built it.

Only the article of a page is indexed (the theme marks it ``data-pagefind-body``; pages whose
front matter says ``search: {exclude: true}`` get no mark, so Pagefind leaves them out: the
guide's steps, the editions that are not in force). Pagefind stems Danish from ``<html
lang="da">``, and the browser fetches nothing of it until the search field gets focus.
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

# Parts of an article that are not its content: the permalink signs, print-only lines, the
# copyable addresses, the glossary's one-letter headings (they would catch stray queries).
EXCLUDE = (".headerlink", ".kv-print-only", ".kv-address", "h2[id^=kv_bogstav_]", ".kv-copy")
BODY = "data-pagefind-body"  # the mark of what is searched (overrides/main.html)


def index(site_dir: Path) -> int:
    """Index the built site in ``site_dir`` (the bundle goes to ``site_dir/pagefind/``); return
    the number of pages indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return sum(1 for _ in (site_dir / "pagefind").glob("fragment/*.pf_fragment"))


class LiveIndex:
    """The same index made while a generator writes the pages: Pagefind's service (its binary
    with ``--service``, as its Python and Node APIs run it) is handed each page as it is
    written and indexes it on another core while the build goes on; ``write`` writes the bundle
    to ``site_dir/pagefind/``. Same pages, same fragments as ``index`` (only the numbering of
    pages in the index files follows the order they came in)."""

    def __init__(self, site_dir: Path):
        from pagefind.service import get_executable

        self.site_dir = site_dir
        site_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen([str(get_executable()), "--service"], cwd=site_dir,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.answers: dict[int, dict] = {}
        self.errors: list[str] = []
        self.changed = threading.Condition()
        self.outgoing: queue.Queue[bytes | None] = queue.Queue()
        self.sent = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()
        answer = self._wait(self._send({"type": "NewIndex",
                                        "config": {"exclude_selectors": list(EXCLUDE)}}))
        self.index_id = answer["index_id"]

    def add(self, path: str, html: str) -> None:
        """Index the page written to ``path`` (relative to the site's folder); no waiting. A
        page without a ``data-pagefind-body`` mark is not sent: Pagefind leaves it out anyway,
        since the site's other pages have one."""
        if BODY in html:
            self._send({"type": "AddFile", "index_id": self.index_id, "file_path": path,
                        "url": None, "file_contents": html})

    def write(self) -> int:
        """Write the bundle once every page is indexed; return the number of pages indexed.
        Raises RuntimeError when Pagefind refused a page. The service hands the files over
        (``GetFiles``) and this process writes them: with ``WriteFiles`` the service answered
        before its files were all on disk, and stopping it then left some empty."""
        try:
            answer = self._wait(self._send({"type": "GetFiles", "index_id": self.index_id}))
            if self.errors:
                raise RuntimeError("Pagefind: " + "; ".join(self.errors[:3]))
        finally:
            self.close()
        bundle = self.site_dir / "pagefind"
        for file in answer["files"]:
            target = bundle / file["path"]
            if bundle not in target.parents:
                raise RuntimeError(f"Pagefind: a file outside its folder: {file['path']}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(file["content"]))
        return sum(1 for _ in bundle.glob("fragment/*.pf_fragment"))

    def close(self) -> None:
        self.outgoing.put(None)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _send(self, payload: dict) -> int:
        self.sent += 1
        message = {"message_id": self.sent, "payload": payload}
        self.outgoing.put(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        return self.sent

    def _write(self) -> None:
        """Hand the messages to the service in order (a page never waits for a full pipe)."""
        assert self.proc.stdin is not None
        while (message := self.outgoing.get()) is not None:
            try:
                self.proc.stdin.write(message)
                self.proc.stdin.flush()
            except OSError:
                break
        self.proc.stdin.close()

    def _read(self) -> None:
        """Collect the service's answers: base64 JSON, each ended by a comma."""
        assert self.proc.stdout is not None
        pending = b""
        while chunk := self.proc.stdout.read1(1 << 16):
            pending += chunk
            while b"," in pending:
                message, pending = pending.split(b",", 1)
                answer = json.loads(base64.b64decode(message))
                payload = answer.get("payload", {})
                with self.changed:
                    if payload.get("type") == "Error":
                        self.errors.append(str(payload.get("message")))
                    self.answers[answer.get("message_id") or 0] = payload
                    self.changed.notify_all()
        with self.changed:
            self.answers[-1] = {"type": "Error", "message": "Pagefind stopped"}
            self.changed.notify_all()

    def _wait(self, message_id: int) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: message_id in self.answers or -1 in self.answers,
                                  timeout=300)
            answer = self.answers.get(message_id) or self.answers.get(-1) or {}
        if answer.get("type") == "Error" or not answer:
            raise RuntimeError(f"Pagefind: {answer.get('message', 'no answer')}")
        return answer
