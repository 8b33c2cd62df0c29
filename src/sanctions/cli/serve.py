"""`sanctions serve` (the HTTP API and pages under uvicorn) and `sanctions keys` (API keys for its admin
endpoints)."""

from __future__ import annotations

import os

from sanctions.settings import Settings


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the HTTP API and web pages")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="worker processes (each loads its own index)")
    p.add_argument("--mirror", metavar="DIR", help="folder POST /sync reads from (env SANCTIONS_MIRROR)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("keys", help="API keys for the HTTP service")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION")
    ks.required = True
    c = ks.add_parser("create", help="create a key and print it (once)")
    c.add_argument("--admin", action="store_true", help="allow admin endpoints (sync, subscriptions)")
    c.add_argument("--name", default="", help="a label for the key")
    c.set_defaults(func=cmd_keys_create)
    c = ks.add_parser("list", help="list keys (never the keys themselves)")
    c.set_defaults(func=cmd_keys_list)
    c = ks.add_parser("revoke", help="revoke a key by its id")
    c.add_argument("id", type=int)
    c.set_defaults(func=cmd_keys_revoke)


def cmd_serve(args, settings: Settings) -> int:
    from sanctions.api.workers import ROLL_SIGNAL, ServeOptions, Supervisor

    # Workers are separate processes: they rebuild their settings from the environment (api/workers.py).
    os.environ["SANCTIONS_DB"] = str(settings.db_path)
    if settings.mirror:
        os.environ["SANCTIONS_MIRROR"] = str(settings.mirror)
    if ROLL_SIGNAL is None:  # no POSIX signals (Windows): uvicorn's own processes, lists swapped in place
        import uvicorn

        uvicorn.run("sanctions.api.workers:app_factory", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level=args.log_level, access_log=False, server_header=False)
        return 0
    interval = float(os.environ.get("SANCTIONS_API_RELOAD_INTERVAL") or ServeOptions.check_interval)
    opts = ServeOptions(host=args.host, port=args.port, workers=max(1, args.workers), log_level=args.log_level,
                        check_interval=interval)
    try:
        supervisor = Supervisor(settings.db_path, opts)
    except OSError as exc:
        from sanctions.cli import CommandError

        raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    print(f"sanctions: serving {settings.db_path} on http://{args.host}:{args.port}/ "
          f"(pages /ui/, API docs /docs, {args.workers} worker{'s' if args.workers > 1 else ''})", flush=True)
    return supervisor.run()


def cmd_keys_create(args, settings: Settings) -> int:
    from sanctions.api.auth import create_key

    rec, key = create_key(settings.db_path, args.name, args.admin)
    print(key)
    print(f"key {rec.id} ({'admin' if rec.admin else 'read'}) created; it is shown only this once", flush=True)
    return 0


def cmd_keys_list(args, settings: Settings) -> int:
    from sanctions.api.auth import list_keys

    for k in list_keys(settings.db_path):
        state = f"revoked {k.revoked_at}" if k.revoked_at else "active"
        print(f"{k.id}\t{k.prefix}…\t{'admin' if k.admin else 'read'}\t{k.created_at}\t{state}\t{k.name}")
    return 0


def cmd_keys_revoke(args, settings: Settings) -> int:
    from sanctions.api.auth import revoke_key

    if not revoke_key(settings.db_path, args.id):
        from sanctions.cli import CommandError

        raise CommandError(f"no active key {args.id}")
    print(f"key {args.id} revoked")
    return 0
