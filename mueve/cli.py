"""The `mueve` command: what an operator needs, without knowing Django.

mueve serve [--host H] [--port P] [--workers N]   migrate, then serve over uvicorn
mueve demo [--host H] [--port P]                  migrate, load the demo, print accounts, serve
mueve loaddemo                                    load (or refresh) the demo data
mueve createadmin                                 create a platform administrator
mueve <django command> ...                        any manage.py command (migrate, shell, ...)
"""

import argparse
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    import django

    django.setup()


def _serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="mueve serve")
    parser.add_argument("--host", default=os.environ.get("MUEVE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MUEVE_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MUEVE_WORKERS", "1")))
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    import uvicorn

    print(f"Mueve en http://{args.host}:{args.port}/  (Ctrl+C para detener)", flush=True)
    uvicorn.run(
        "mueve.config.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=os.environ.get("MUEVE_UVICORN_LOG_LEVEL", "warning"),
    )


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
    if command == "demo":
        _setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddemo")
        _serve(["--no-migrate", *rest])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mueve.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mueve", command, *rest])


if __name__ == "__main__":
    main()
