"""Real web servers for the tests: Debian's nginx and Caddy, started on 127.0.0.1 with the block
``kvalitet host`` prints, everything they write kept in one temporary folder, and stopped with
their workers at the end. As root, nginx's workers run as ``nobody``: the site must be readable
by another user, as on a real server (the folder from ``public_folder``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.helpers import ROOT, free_port, wait_until

NGINX = "/usr/sbin/nginx"
CADDY = "/usr/bin/caddy"

# nginx as any user runs it: pid, logs and temporary files in the test's folder.
_NGINX_MAIN = """daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
_CADDY_GLOBAL = """{{
    admin off
    auto_https off
    storage file_system {folder}/data
}}
"""


@contextlib.contextmanager
def public_folder() -> Iterator[Path]:
    """A folder another user can read (mode 755 up to /), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kvalitet-www-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def host_block(kind: str, site: Path, port: int, root: Path = ROOT,
               date: str | None = None) -> str:
    """What ``kvalitet host nginx|caddy`` prints for the built ``site`` of the project ``root``."""
    command = [sys.executable, "-m", "kvalitet.cli", "--root", str(root)]
    command += ["--date", date] if date else []
    command += ["host", kind, "--site-dir", str(site), "--listen", f"127.0.0.1:{port}"]
    result = subprocess.run(command, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def _answers(url: str) -> bool:
    """Whether a server answers at all (a connection refused is an OSError: not yet)."""
    try:
        urllib.request.urlopen(url, timeout=1).close()
    except urllib.error.HTTPError:
        pass
    return True


@contextlib.contextmanager
def _running(command: list[str], folder: Path, url: str, log: Path) -> Iterator[str]:
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True,  # its workers in its own group
                                   env={**os.environ, "HOME": str(folder),
                                        "XDG_DATA_HOME": str(folder),
                                        "XDG_CONFIG_HOME": str(folder)})
    try:
        if not wait_until(lambda: process.poll() is None and _answers(url), 20):
            raise AssertionError(f"{command[0]} did not start: {log.read_text('utf-8')}")
        yield url
    finally:
        process.terminate()  # nginx: a fast shutdown that waits for its workers
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # anything left of its group
            os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def nginx(site: Path, root: Path = ROOT, date: str | None = None,
          change: Callable[[str], str] = str) -> Iterator[str]:
    """nginx serving the built site with the block ``kvalitet host nginx`` prints (passed
    through ``change``); yields its address."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="kvalitet-nginx-"))
    try:
        (folder / "site.conf").write_text(
            change(host_block("nginx", site, port, root, date)), "utf-8")
        (folder / "nginx.conf").write_text(_NGINX_MAIN.format(folder=folder), "utf-8")
        command = [NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder),
                   "-e", str(folder / "error.log")]
        with _running(command, folder, f"http://127.0.0.1:{port}/", folder / "out.log") as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def caddy(site: Path, root: Path = ROOT, date: str | None = None) -> Iterator[str]:
    """Caddy serving the built site with the block ``kvalitet host caddy`` prints."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="kvalitet-caddy-"))
    try:
        config = folder / "Caddyfile"
        config.write_text(_CADDY_GLOBAL.format(folder=folder)
                          + host_block("caddy", site, port, root, date), "utf-8")
        command = [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"]
        with _running(command, folder, f"http://127.0.0.1:{port}/", folder / "out.log") as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)
