"""What happens to each page after MkDocs has written it, in another process while the build
goes on: what the page names is read for the style sheet (``stylesheet.page_tokens``) and the
page is sealed with its Content-Security-Policy (``csp.seal_page``). Both read the whole page;
on the build's other core they cost the build next to nothing, as the search index's service
does (``search.LiveIndex``).

The worker is this module run as a program (``python -m kvalitet.outputs.postpage``), fed
pickled pages on its standard input: unlike a multiprocessing worker, it never imports the
program that started the build.
"""

from __future__ import annotations

import pickle
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

from kvalitet.outputs import csp, stylesheet

Result = tuple[set[str], "csp.Policy | None", list[str]]
_SIZE = struct.Struct(">I")


def finish_page(path: str, name: str, html: str) -> Result:
    """Read what the page written at ``path`` (``name`` in the site) names, and seal it there
    (as ``csp.seal_site`` does): (its tokens, its policy or None, the policy's problems)."""
    tokens = stylesheet.page_tokens(html)
    sealed, problems = csp.seal_page(name, html)
    if sealed is not None and sealed.html != html:
        Path(path).write_text(sealed.html, "utf-8")
    return tokens, sealed.policy if sealed else None, problems


def _send(stream: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_SIZE.pack(len(data)) + data)


def _receive(stream: BinaryIO) -> object | None:
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        return None
    return pickle.loads(stream.read(_SIZE.unpack(head)[0]))


class LivePages:
    """Pages handed over as MkDocs renders them (``add``); each goes to the worker once it is
    on disk, that is when the next page is handed over (the last one in ``results``). A page
    the worker did not finish (it could not start, or stopped) is finished here, from disk."""

    def __init__(self) -> None:
        self.waiting: tuple[str, str, str] | None = None
        self.sent: list[tuple[str, str]] = []
        self.done: dict[str, Result] = {}
        self.outgoing: queue.Queue[tuple[str, str, str] | None] = queue.Queue()
        try:
            self.proc: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError:
            self.proc = None
            return
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self._write, daemon=True).start()

    def add(self, path: str, name: str, html: str) -> None:
        """The page MkDocs writes next to ``path`` (``name`` in the site)."""
        self._hand_over()
        self.waiting = (path, name, html)

    def _hand_over(self) -> None:
        if self.waiting is not None:
            self.sent.append(self.waiting[:2])
            if self.proc is not None:
                self.outgoing.put(self.waiting)
            self.waiting = None

    def results(self) -> dict[str, Result]:
        """Every page's tokens, policy and problems, by its name, once all are sealed."""
        self._hand_over()
        self.close()
        for path, name in self.sent:
            if name not in self.done:
                self.done[name] = finish_page(path, name, Path(path).read_text("utf-8"))
        return {name: self.done[name] for _, name in self.sent}

    def close(self) -> None:
        """Let the worker finish what it has and stop."""
        if self.proc is not None:
            self.outgoing.put(None)
            self.reader.join()
            self.proc.wait()
            self.proc = None

    def _write(self) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        stdin = self.proc.stdin
        while (page := self.outgoing.get()) is not None:
            try:
                _send(stdin, page)
            except OSError:  # the worker stopped: the pages are finished here
                break
        try:
            stdin.close()
        except OSError:
            pass

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        while (answer := _receive(self.proc.stdout)) is not None:
            name, result = answer
            self.done[name] = result


def main() -> None:
    """The worker: finish every page that comes in, answer with its name and result."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (page := _receive(stdin)) is not None:
        path, name, html = page
        _send(stdout, (name, finish_page(path, name, html)))
        stdout.flush()


if __name__ == "__main__":
    main()
