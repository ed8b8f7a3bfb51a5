"""A throwaway PostgreSQL cluster for the tests: started from the system's binaries, removed at exit."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ENV_URL = "SOCIAL_LISTEN_TEST_PG_URL"


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user() -> list[str]:
    """initdb refuses root: run the server as the `postgres` (or `nobody`) user when we are root."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"]
    return []


class Cluster:
    """A PostgreSQL server on 127.0.0.1 with trust auth, in a temporary folder."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb) not found: apt-get install postgresql")
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="sl-pg-"))
        self.port = _free_port()
        self.prefix = _as_user()
        if self.prefix:
            shutil.chown(self.dir, user=self.prefix[2])
        self.data = self.dir / "data"
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.prefix, str(self.bin / tool), *args], check=True, capture_output=True)

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.dir, ignore_errors=True)


def server_url() -> tuple[str, Cluster | None]:
    """The URL of a PostgreSQL server for tests: $SOCIAL_LISTEN_TEST_PG_URL, or one we start now."""
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL], None
    cluster = Cluster()
    return cluster.url, cluster
