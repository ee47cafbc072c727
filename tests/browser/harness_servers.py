"""JupyterLab and Voila servers for the browser tests: loopback only, no token, isolated dirs.

Each server runs in its own process group on ``127.0.0.1`` with a free port; Jupyter's config,
data and runtime dirs (and IPython's) point into a temporary folder, so a user's own Jupyter
settings never leak in. JupyterLab keeps using the environment's app dir
(``<prefix>/share/jupyter/lab``), so it finds the installed lab extensions and the offline
``settings/overrides.json`` written by ``python -m mtorlib.setup_jupyter``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
OVERRIDES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
VOILA_DENYLIST = "['jupyterlab-jupytext','@voila-dashboards/jupyterlab-preview']"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(tmp: Path) -> dict[str, str]:
    """Process environment with Jupyter/IPython dirs and mtorlib progress inside ``tmp``."""
    env = dict(os.environ)
    for name, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(tmp / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["MTORLIB_PROGRESS"] = str(tmp / "progress.json")
    env.pop("JUPYTERLAB_SETTINGS_DIR", None)
    env.pop("JUPYTERLAB_WORKSPACES_DIR", None)
    return env


class Server:
    """A Jupyter server process (``kind`` is ``"lab"`` or ``"voila"``) serving ``root``."""

    def __init__(self, kind: str, root: Path, tmp: Path):
        self.kind, self.root, self.port = kind, root, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"{kind}-{self.port}.log"
        if kind == "lab":
            cmd = [
                str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root",
                "--ip=127.0.0.1", f"--port={self.port}", f"--ServerApp.root_dir={root}",
                "--IdentityProvider.token=", "--ServerApp.password=",
                "--LabApp.extension_manager=readonly", "--ServerApp.port_retries=0",
                "--LabApp.expose_app_in_browser=True",  # the harness reads the kernel's state
                "--ServerApp.disable_check_xsrf=True",  # lets the harness DELETE sessions
                *(["--ServerApp.log_level=DEBUG"] if os.environ.get("MTORLIB_BROWSER_DEBUG") else []),
            ]
            self.ready_path = "/api/status"
        else:
            # Never probe "/" for readiness: it executes the notebook.
            cmd = [
                str(BIN / "voila"), str(root), "--no-browser", f"--port={self.port}",
                "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
                f"--VoilaConfiguration.extension_denylist={VOILA_DENYLIST}",
                "--VoilaConfiguration.show_tracebacks=True",
            ]
            self.ready_path = "/voila/templates/lab/static/index.css"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=root, env=isolated_env(tmp / kind), stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout_s: float = 60.0) -> float:
        """Poll the readiness URL; returns seconds waited, raises with the log tail on failure."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited with {self.proc.returncode}\n"
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - start
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.kind} server not ready at {self.url}{self.ready_path} "
                           f"after {timeout_s:.0f} s\n{self.log_tail()}")

    def shutdown_kernels(self) -> int:
        """Delete every session (and its kernel) through the REST API; returns how many.

        Returns -1 if the server did not answer (a dead server is reported by the test itself).
        """
        try:
            with urllib.request.urlopen(self.url + "/api/sessions", timeout=10) as resp:
                sessions = json.load(resp)
            for session in sessions:
                req = urllib.request.Request(f"{self.url}/api/sessions/{session['id']}",
                                             method="DELETE")
                urllib.request.urlopen(req, timeout=30).close()
        except (urllib.error.URLError, OSError):
            return -1
        return len(sessions)

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the server log, for failure messages."""
        self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return f"--- {self.kind} server log ({self.log_path}) ---\n" + "\n".join(text[-lines:])

    def stop(self) -> None:
        """Terminate the server's process group (kernels included); kill it after 10 s."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._log.close()
