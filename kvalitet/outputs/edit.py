"""``kvalitet edit`` (``make edit``): edit the content in a browser form, with the live preview.

Two servers, both on 127.0.0.1 only: the editors' preview (``preview``: rebuilt on every save,
with its Danish error page) and a small Node server (``admin/server.js``) with Decap CMS at
``/admin/`` and the file-system API of Decap's proxy backend (decap-server's protocol, answered by
our own guarded handler), which writes the YAML files in this working tree.
A save in the form is a save of the file: the preview rebuilds, and what the checks find shows on
its error page with file and line, exactly as for a file saved in a text editor. A save is refused
when the file changed after the form read it, and the version it replaces is kept in
``.kvalitet/backup/`` (``kvalitet gendan``). SIGTERM, SIGHUP and Ctrl+C stop both servers and
remove the temporary admin folder; the Node server also stops by itself when this process ends
(its standard input closes).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from kvalitet.outputs import backup, cms, preview

SERVER = cms.ADMIN_ASSETS / "server.js"
START_SECONDS = 60


def edit(root: Path, port: int = 8000, cms_port: int = 8081) -> int:
    with preview.stopped_by_signals():
        return _edit(root, port, cms_port)
    return 0  # stopped by a signal while starting


def _edit(root: Path, port: int, cms_port: int) -> int:
    say = lambda text="": print(text, flush=True)  # noqa: E731
    node = shutil.which("node")
    if node is None:
        say("Redigering i browseren kræver Node.js (kommandoen node). Installér Node.js 20 eller "
            "nyere, og kør så: make edit")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="kvalitet-admin-"))
    stop = threading.Event()  # set when the Node server stops, or when we stop it
    try:
        started = preview.start(root, port)
        if started is None:
            return 1
        view, httpd = started
        try:
            admin = cms.write_admin(folder / "admin", root, cms.LOCAL, site_url=view.address)
        except FileNotFoundError as exc:
            say(str(exc))
            httpd.server_close()
            return 1
        process = subprocess.Popen(
            [node, str(SERVER), "--root", str(root), "--admin", str(admin), "--tools",
             str(root / "tools"), "--port", str(cms_port), "--writable", cms.writable_json(),
             "--backup", backup.FOLDER, "--stdin-parent", "1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=root)
        try:
            listening = _ready(process)
            if listening is None:
                httpd.server_close()
                return 1
            say(f"Redigér i browseren: http://127.0.0.1:{listening}/admin/")
            say("Tryk \"Log ind\" (der er ingen adgangskode: siden kan kun åbnes fra denne "
                "computer). Gem med \"Gem\" og \"Gem nu\": det gemmer filen her på computeren "
                "(intet bliver udgivet), og forhåndsvisningen viser resultatet. Den udgave, en "
                f"gemning erstatter, gemmes i {backup.FOLDER}/ (kvalitet gendan).")
            threading.Thread(target=_relay, args=(process, say, stop), daemon=True).start()
            preview.run(view, httpd, stop)
        finally:
            stop.set()
            with contextlib.suppress(OSError):
                process.stdin.close()
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _ready(process: subprocess.Popen) -> int | None:
    """The port the Node server listens on, once it says so (None, after its output, if it
    stops first)."""
    lines: list[str] = []
    timer = threading.Timer(START_SECONDS, process.kill)
    timer.start()
    try:
        for line in process.stdout:
            try:
                return int(json.loads(line)["listening"])
            except (ValueError, KeyError, TypeError):
                lines.append(line.rstrip())
    finally:
        timer.cancel()
    detail = "\n    ".join(lines[-15:])
    if any("EADDRINUSE" in line for line in lines):
        print("Porten til redigering er optaget, måske af en anden kvalitet edit. Stop den, eller "
              "vælg en anden, fx kvalitet edit --cms-port 8082", flush=True)
    else:
        print(f"Redigering i browseren kunne ikke starte. Giv beskeden til den, der vedligeholder "
              f"sitet:\n    {detail}", flush=True)
    return None


def _relay(process: subprocess.Popen, say, stop: threading.Event) -> None:
    """The Node server's own messages to the terminal; when it stops, stop the preview too."""
    for line in process.stdout:
        say(f"[redigering] {line.rstrip()}")
    # Ctrl+C reaches the Node server too, a moment before it stops this process: wait a second
    # for that stop before calling the end unexpected.
    if process.wait() != 0 and not stop.wait(1.0):
        say("Redigering i browseren er stoppet uventet. Start igen med: make edit")
    stop.set()
