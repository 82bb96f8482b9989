"""Serve the briefing apps with Voilà.

``briefing serve`` (and the browser tests) call :func:`start_server`, which runs
this module as a child process (``python -m briefing.serve ...``) in a process
group of its own; :func:`stop_server` stops it and every kernel it started.

The child is Voilà with these changes (see ``_make_app_class``):

* files and folders whose name starts with ``staff_`` are never listed,
  rendered, pre-heated, served as static files or shown by the contents API
  (404 or 403; such a notebook is never run);
* the page response sets the ``_xsrf`` cookie, so that the page's shutdown
  beacon on tab close is accepted and its kernel stops at once (Voilà 0.5.13
  refuses it with 403 otherwise, and every closed tab leaves a kernel running
  until the idle culler removes it);
* pre-heated kernels may wait for their viewer as long as it takes (Voilà's
  cell timeout no longer expires in the pool: after 180 s idle, every app
  showed "cell execution timed out" to its next viewer);
* a cell's output may arrive up to :data:`IOPUB_TIMEOUT_S` after its reply
  (nbclient's 4 s dropped the app of a page on a busy server, silently);
* a ``?theme=`` value that is not a plain theme name is ignored (Voilà 0.5.13
  writes it unescaped into the page: a crafted link could run script);
* SIGINT, SIGTERM and SIGHUP stop it and every kernel it started, and so
  does the death of the process that started it (:mod:`briefing.lifecycle`);
* malformed template file paths (``/voila/templates/<name>/static/../x``) and
  ``/logout`` answer 404 instead of a 500 with a traceback in the log.

:func:`start_server` also puts the package's Jupyter data folder first on
``JUPYTER_PATH``, so the ``briefing`` template is found from a source checkout,
an editable install and a wheel install alike.

Everything else (template, culling, pre-heating, file allow-list) is read from
``voila.json`` at the repository root.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote

from briefing import lifecycle, paths

DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"
HIDDEN_PREFIX = "staff_"
#: Regular expression (``re.match``) for a relative path whose file or folder
#: name starts with :data:`HIDDEN_PREFIX`.
HIDDEN_PATTERN = rf"(.*/)?{HIDDEN_PREFIX}"
TEMPLATE_NAME = "briefing"
CONFIG_FILE = "voila.json"
#: What a theme named in the URL (``?theme=``) may look like. Voila 0.5.13 writes
#: the value unescaped into the page's ``<body>`` tag, so a link carrying markup
#: there ran script in the viewer's page; any other value is ignored.
THEME_PATTERN = re.compile(r"[A-Za-z0-9 _.-]{1,64}")
#: Seconds to wait for a cell's output after its reply, unless voila.json says otherwise.
IOPUB_TIMEOUT_S = 60

#: Folder laid out as a Jupyter data directory: ``voila/templates/briefing``.
JUPYTER_DATA_DIR = paths.PACKAGE_DIR / "jupyter_data"


def config_dir() -> Path:
    """Return the folder holding ``voila.json`` (the repository root)."""
    return paths.REPO_DIR


def template_dir() -> Path:
    """Return the folder of the ``briefing`` Voilà template."""
    return JUPYTER_DATA_DIR / "voila" / "templates" / TEMPLATE_NAME


def is_hidden_path(path: str) -> bool:
    """Tell whether a served path names something that must never be served.

    Any path component starting with ``staff_`` hides the path, whatever the
    URL encoding or separators used.

    >>> is_hidden_path("staff_budget.ipynb")
    True
    >>> is_hidden_path("sub/staff_notes/chart.png")
    True
    >>> is_hidden_path("overview.ipynb")
    False
    """
    text = unquote(path or "").replace("\\", "/")
    return any(part.startswith(HIDDEN_PREFIX) for part in PurePosixPath(text).parts)


def is_safe_theme(value: str) -> bool:
    """Tell whether a ``?theme=`` value is a plain theme name, safe to write into a page.

    >>> is_safe_theme("dark"), is_safe_theme("JupyterLab Dark")
    (True, True)
    >>> is_safe_theme('"><svg onload=alert(1)>')
    False
    """
    return THEME_PATTERN.fullmatch(value) is not None


def jupyter_path_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return a copy of ``base`` (default: the environment) with our data dir first
    on ``JUPYTER_PATH``."""
    env = dict(os.environ if base is None else base)
    existing = env.get("JUPYTER_PATH", "")
    parts = [str(JUPYTER_DATA_DIR), *[p for p in existing.split(os.pathsep) if p]]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(parts))
    return env


def voila_argv(
    notebooks: Path,
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    open_browser: bool = False,
    port_retries: int | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """Return the command-line arguments of the Voilà child process."""
    args = [
        str(Path(notebooks).resolve()),
        "--Voila.config_file_paths",
        str(config_dir()),
        f"--Voila.port={port}",
        f"--Voila.ip={ip}",
        f"--Voila.open_browser={open_browser}",
    ]
    if port_retries is not None:
        args.append(f"--Voila.port_retries={port_retries}")
    args.extend(extra_args)
    return args


def start_server(
    notebooks: Path | None = None,
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    open_browser: bool = False,
    port_retries: int | None = None,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    stdout: IO[Any] | int | None = None,
    stderr: IO[Any] | int | None = None,
) -> subprocess.Popen[bytes]:
    """Start Voilà on ``notebooks`` (default: the project's notebooks folder).

    The server runs in a new session (its own process group): stop it with
    :func:`stop_server`, which also makes sure its kernels are gone. It stops by
    itself, kernels included, when this process ends, however it ends
    (:mod:`briefing.lifecycle`).
    """
    folder = Path(notebooks) if notebooks is not None else paths.notebooks_dir()
    if not folder.is_dir():
        raise FileNotFoundError(f"no notebooks folder at {folder}")
    if not (config_dir() / CONFIG_FILE).is_file():
        raise FileNotFoundError(f"{CONFIG_FILE} not found in {config_dir()}")
    cmd = [
        sys.executable,
        "-m",
        "briefing.serve",
        *voila_argv(
            folder,
            port=port,
            ip=ip,
            open_browser=open_browser,
            port_retries=port_retries,
            extra_args=extra_args,
        ),
    ]
    # The child stops, kernels included, when this process ends (lifecycle).
    return subprocess.Popen(
        cmd,
        env=lifecycle.child_env(jupyter_path_env(env)),
        cwd=str(folder),
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
        preexec_fn=lifecycle.preexec_for_child(),
    )


def child_pids(pid: int) -> list[int]:
    """Return the ids of the direct children of ``pid`` (Linux ``/proc``; else empty)."""
    return lifecycle.children(pid)


def stop_server(proc: subprocess.Popen[bytes], timeout: float = lifecycle.PARENT_WAIT_S) -> None:
    """Stop a server started by :func:`start_server`, and its kernels.

    SIGTERM goes to the server's process group; the server then shuts its
    kernels down. Kernels run in sessions of their own (jupyter_client starts
    them so): any still alive once the server is gone, or killed after
    ``timeout`` seconds, are killed with their process groups.
    """
    kernels = lifecycle.kernel_processes(proc.pid)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    lifecycle.kill_processes(kernels)
    if proc.poll() is None:
        proc.wait(timeout=timeout)
    lifecycle.wait_gone(kernels, 2.0)


def wait_until_ready(
    url: str, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll ``url`` until it answers (any HTTP status below 500)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
            last = exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = exc
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s ({last})")


def serve(
    notebooks: Path | None = None,
    *,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    open_browser: bool = True,
    extra_args: Sequence[str] = (),
) -> int:
    """Run the server in the foreground until it exits, Ctrl-C, SIGTERM or SIGHUP;
    return its exit code. The server and its kernels are stopped in every case: a
    second signal does not cut the stop short, and if this process is killed the
    server notices and stops by itself (:mod:`briefing.lifecycle`)."""
    proc: subprocess.Popen[bytes] | None = None
    with lifecycle.StopSignals():
        try:
            proc = start_server(
                notebooks, port=port, ip=ip, open_browser=open_browser, extra_args=extra_args
            )
            code = proc.wait()
            # Killed by a signal: the shell's convention, 128 + its number.
            return 128 - code if code < 0 else code
        except lifecycle.StopRequested as stop:
            return stop.code
        finally:
            if proc is not None:
                stop_server(proc)


# --------------------------------------------------------------------------
# The Voilà application run in the child process.
# --------------------------------------------------------------------------


def _make_app_class() -> type[Any]:
    """Build the Voilà subclass (imports Voilà, which takes a second or two)."""
    import voila.app as voila_app
    from tornado import web
    from voila.app import Voila
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    from briefing.serving import handlers as guards
    from briefing.serving.pool import owned_kernel_manager

    class RefuseHiddenMixin:
        """Answer 404 for any URL whose path arguments name a hidden file."""

        path_args: list[str]
        path_kwargs: dict[str, str]

        async def prepare(self, *args: Any, **kwargs: Any) -> None:
            # Jupyter's prepare() identifies the user first; error pages need that.
            result = super().prepare(*args, **kwargs)  # type: ignore[misc]
            if inspect.isawaitable(result):
                await result
            values = [*self.path_args, *self.path_kwargs.values()]
            if any(is_hidden_path(value) for value in values if isinstance(value, str)):
                raise web.HTTPError(404)
            # Also through a symbolic link: the file it leads to is what is served.
            root = getattr(self, "contents_manager", None)
            root_dir = getattr(root, "root_dir", None)
            if root_dir and any(
                guards.is_hidden_file(root_dir, v) for v in values if isinstance(v, str)
            ):
                raise web.HTTPError(404)

    class BriefingRenderHandler(
        guards.GuardedRenderMixin,
        RefuseHiddenMixin,
        TornadoVoilaHandler,  # type: ignore[misc]
    ):
        """Renders a notebook; also sets the ``_xsrf`` cookie the page's unload
        beacon sends back to shut its kernel down, and applies the page limits
        (``briefing.serving``)."""

        async def prepare(self, *args: Any, **kwargs: Any) -> None:
            await super().prepare(*args, **kwargs)
            self.xsrf_token  # noqa: B018 - reading it sets the cookie
            # A ?theme= that is not a plain name is dropped: Voila would write it
            # unescaped into the page (reflected script injection).
            themes = self.request.arguments.get("theme", [])
            if not all(is_safe_theme(v.decode("utf-8", "replace")) for v in themes):
                self.request.arguments.pop("theme", None)
                self.request.query_arguments.pop("theme", None)
            self.guard_page(self.voila_configuration.theme)

    class BriefingTreeHandler(RefuseHiddenMixin, TornadoVoilaTreeHandler):  # type: ignore[misc]
        pass

    class BriefingContentsHandler(RefuseHiddenMixin, VoilaContentsHandler):  # type: ignore[misc]
        pass

    # Voila's template file handler (/voila/templates/<name>/static/<file>)
    # answers 500, logging a traceback, for any other shape of path, such as
    # briefing/static/../conf.json: refuse those with a plain 404 first.
    class BriefingTemplateStaticHandler(TemplateStaticFileHandler):  # type: ignore[misc]
        def parse_url_path(self, url_path: str) -> str:
            parts = os.path.normpath(url_path).split(os.sep, 2)
            raw = url_path.split("/", 2)
            if (
                len(parts) != 3
                or len(raw) != 3
                or parts[0] in ("", ".", "..")
                or parts[1] != "static"
                or raw[1] != "static"
            ):
                raise web.HTTPError(404)
            return str(super().parse_url_path(url_path))

    replacements = {
        TornadoVoilaHandler: BriefingRenderHandler,
        TornadoVoilaTreeHandler: BriefingTreeHandler,
        VoilaContentsHandler: BriefingContentsHandler,
        TemplateStaticFileHandler: BriefingTemplateStaticHandler,
        **guards.REPLACEMENTS,
    }

    class BriefingVoila(Voila):  # type: ignore[misc]
        """Voilà that never serves ``staff_*`` notebooks and lets pages shut
        their kernels down."""

        def init_settings(self) -> Any:
            # After a cell's reply, Voila waits IOPUB_TIMEOUT_S at most for the rest of
            # its output (nbclient's default: 4 s). An app's output is hundreds of widget
            # messages; on a busy server they came later and were dropped: the page showed
            # the title and no app, with no message. voila.json may still set it.
            if "iopub_timeout" not in self.config.VoilaExecutor:
                self.config.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT_S
            # Whatever the configuration says, staff notebooks are never
            # pre-heated (run at start-up): the pools are filled when the
            # kernel manager is built, from its _notebook_filter.
            make_manager = voila_app.voila_kernel_manager_factory

            def guarded_factory(*args: Any, **kwargs: Any) -> Any:
                manager_class = owned_kernel_manager(make_manager(*args, **kwargs))
                if not hasattr(manager_class, "_notebook_filter"):
                    return manager_class  # pre-heating is off

                class BriefingKernelManager(manager_class):  # type: ignore[misc, valid-type]
                    def _notebook_filter(self, nb_path: Path) -> bool:
                        path = Path(nb_path)
                        with contextlib.suppress(ValueError):
                            path = path.relative_to(self.root_dir)
                        if is_hidden_path(str(nb_path)) or guards.is_hidden_file(
                            self.root_dir, str(path)
                        ):
                            return False
                        return bool(super()._notebook_filter(nb_path))

                    # A pre-heated kernel runs its notebook at once, then waits inside
                    # the cell that reads the page's query string until a viewer comes,
                    # however long that is. Voila's per-cell timeout (VoilaExecutor.timeout)
                    # counted that wait: after 180 s in the pool every app showed "cell
                    # execution timed out" to its next viewer. Pool runs have no cell
                    # timeout; a page rendered without a pooled kernel keeps it.
                    def _notebook_renderer_factory(self, notebook_path: str | None = None) -> Any:
                        renderer = super()._notebook_renderer_factory(notebook_path)
                        if renderer.traitlet_config is not None:
                            config = copy.deepcopy(renderer.traitlet_config)
                            config.VoilaExecutor.timeout = None
                            renderer.traitlet_config = config
                        return renderer

                return BriefingKernelManager

            voila_app.voila_kernel_manager_factory = guarded_factory
            try:
                settings = super().init_settings()
            finally:
                voila_app.voila_kernel_manager_factory = make_manager
            # The start page names each app and says what it is for, in both languages.
            from briefing.catalogue import catalogue

            for env_name in ("voila_jinja2_env", "jinja2_env"):
                env = settings.get(env_name)
                if env is not None:
                    env.globals["briefing_catalogue"] = catalogue()
            guards.install(self, settings)
            hide = list(self.contents_manager.hide_globs)
            if f"{HIDDEN_PREFIX}*" not in hide:
                self.contents_manager.hide_globs = [*hide, f"{HIDDEN_PREFIX}*"]
            return settings

        def initialize(self, argv: Any = None) -> None:
            super().initialize(argv)
            # Stop on SIGINT, SIGTERM and SIGHUP alike, and when the parent is gone;
            # kernels included (Voila alone handles SIGTERM only, and not SIGHUP at all).
            self.briefing_stopper = lifecycle.ChildStopper(
                lambda: self.kernel_manager.shutdown_all(),
                parent_pid=lifecycle.expected_parent(),
                logger=self.log,
            )
            self.briefing_stopper.install()

        def stop(self) -> None:
            # After the event loop stopped: kernels that did not shut down are killed.
            # (Voila's own stop() would wait for each kernel again, unbounded.)
            lifecycle.kill_kernels()
            with contextlib.suppress(OSError, AttributeError):
                shutil.rmtree(self.connection_dir)
            self.briefing_stopper.leave_if_stopping()

        def init_handlers(self) -> Any:
            denylist = list(self.voila_configuration.file_denylist)
            if HIDDEN_PATTERN + ".*" not in denylist:
                self.voila_configuration.file_denylist = [*denylist, HIDDEN_PATTERN + ".*"]
            # The exported static site at /site/ and its QR code, when `briefing serve` names one.
            from briefing import audience

            handlers: list[Any] = audience.handlers(self.server_url)
            for spec in super().init_handlers():
                # Without a login there is nothing to log out of, and Voila's
                # /logout answers 500 (its page template is missing): leave it out (404).
                if spec[0] == "/logout" and not self.identity_provider.login_available:
                    continue
                if len(spec) >= 2 and spec[1] in replacements:
                    spec = (spec[0], replacements[spec[1]], *spec[2:])
                handlers.append(spec)
            return [guards.MALFORMED_SPEC, *handlers]

    return BriefingVoila


def run_voila(argv: Sequence[str] | None = None) -> None:
    """Entry point of the child process: run our Voilà with ``argv``."""
    from briefing.serving.limits import raise_descriptor_limit

    raise_descriptor_limit()
    app_class = _make_app_class()
    app_class.launch_instance(argv=list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    run_voila()
