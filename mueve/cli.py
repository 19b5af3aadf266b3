"""The `mueve` command: what an operator needs, without knowing Django.

mueve serve [--host H] [--port P] [--workers N]   migrate, then serve over uvicorn (and the intake process)
mueve demo [--host H] [--port P] [--no-simulator] migrate, load the demo, print accounts, run simulated
                                                  buses along the demo lines, serve
mueve intake                                      process accepted citizen reports (`serve` starts one)
mueve loaddemo                                    load (or refresh) the demo data
mueve createadmin                                 create a platform administrator
mueve <django command> ...                        any manage.py command (migrate, shell, ...)
"""

import argparse
import os
import subprocess
import sys
import threading


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    import django

    django.setup()


def _intake_default() -> str:
    # Accepted Open311 reports are fused and routed in a process of their own (mueve/reports/intake.py), unless
    # MUEVE_REPORTS_INTAKE says otherwise; the server processes inherit the setting. Before Django reads settings.
    return os.environ.setdefault("MUEVE_REPORTS_INTAKE", "process")


def _serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="mueve serve")
    parser.add_argument("--host", default=os.environ.get("MUEVE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MUEVE_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MUEVE_WORKERS", "1")))
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument(
        "--no-intake", action="store_true", help="do not start `mueve intake` (it runs elsewhere, e.g. its own unit)"
    )
    args = parser.parse_args(argv)
    own_intake = _intake_default() == "process" and not args.no_intake
    _setup()
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    import uvicorn

    intake = _IntakeProcess() if own_intake else None
    print(f"Mueve en http://{args.host}:{args.port}/  (Ctrl+C para detener)", flush=True)
    try:
        uvicorn.run(
            "mueve.config.asgi:application",
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=os.environ.get("MUEVE_UVICORN_LOG_LEVEL", "warning"),
            server_header=False,  # no `server: uvicorn` telling a scanner what to try
        )
    finally:
        if intake is not None:
            intake.stop()


class _IntakeProcess:
    """`mueve intake` as a child of `mueve serve`: started with it, started again if it dies, stopped with it.

    The child stays in the server's process group (a signal to the group reaches both) but ignores Ctrl+C: the
    server stops it after its own shutdown. If the server dies without doing so, the child notices within a second
    (its parent changed) and stops after the batch in hand."""

    def __init__(self):
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = self._start()
        threading.Thread(target=self._watch, name="mueve-intake-watch", daemon=True).start()

    def _start(self) -> subprocess.Popen | None:
        command = [sys.executable, "-m", "mueve.cli", "intake", "--parent", str(os.getpid())]
        try:
            return subprocess.Popen(command)
        except OSError as exc:  # no memory or processes left: try again later
            print(f"No se pudo iniciar el proceso de ingreso de reportes: {exc}", file=sys.stderr)
            return None

    def _watch(self) -> None:
        delay = 1.0
        while not self.stopping.wait(1.0):
            code = self.process.poll() if self.process is not None else -1
            if code is None:
                delay = 1.0  # running: a later failure starts again from a short wait
                continue
            print(
                f"El proceso de ingreso de reportes terminó (código {code}); se reinicia en {delay:.0f} s.",
                file=sys.stderr,
            )
            if self.stopping.wait(delay):
                return
            delay = min(delay * 2, 60.0)  # a child that fails at start-up is not restarted in a tight loop
            with self.lock:
                if not self.stopping.is_set():
                    self.process = self._start()

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _intake(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="mueve intake")
    parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["MUEVE_REPORTS_INTAKE"] = "process"
    _setup()
    from mueve.reports import intake

    intake.run_process(parent_pid=args.parent)


def start_demo_simulator(**options):
    """The demo's buses: a thread of this process moving them along the illustrative lines (stopped with it)."""
    from mueve.transit.simulator import VehicleSimulator

    print("Buses simulados en las líneas de la demostración (--no-simulator para no moverlos).", flush=True)
    return VehicleSimulator(**options).start()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return
    if command == "serve":
        _serve(rest)
        return
    if command == "intake":
        _intake(rest)
        return
    if command == "demo":
        # Demo mode: the development secret key and the demo's published Open311 key are accepted (settings).
        os.environ["MUEVE_DEMO"] = "1"
        _intake_default()
        _setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddemo")
        simulate = "--no-simulator" not in rest
        rest = [arg for arg in rest if arg != "--no-simulator"]
        simulator = start_demo_simulator() if simulate else None
        try:
            _serve(["--no-migrate", *rest])
        finally:
            if simulator is not None:
                simulator.stop()
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mueve", command, *rest])


if __name__ == "__main__":
    main()
