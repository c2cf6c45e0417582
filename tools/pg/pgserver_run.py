"""
Starts a private PostgreSQL server with pgvector (the `pgserver` package: PostgreSQL 16 and
pgvector in a wheel) in a folder, listening on a Unix socket only, and prints one JSON line:
{"uri": "postgresql://..."}. The server stops and its folder is deleted when this process's
standard input closes (its parent ended, however it ended) or on SIGTERM/SIGINT.

For outage tests, a line on standard input stops the server ("stop", the folder kept) or
starts it again ("start", on the same socket); each is acknowledged with one JSON line,
{"stopped": true} or {"started": true}, once done.

    python3 tools/pg/pgserver_run.py FOLDER
"""
import json
import signal
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: pgserver_run.py FOLDER", file=sys.stderr)
        return 2
    try:
        import pgserver  # noqa: PLC0415 (imported late: its absence is a normal outcome)
    except ImportError as error:
        print(json.dumps({"error": f"pgserver is not installed ({error})"}), flush=True)
        return 3
    # 'delete': stop the server and remove its folder when this process exits.
    server = pgserver.get_server(sys.argv[1], cleanup_mode="delete")
    server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
    print(json.dumps({"uri": server.get_uri()}), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    # Runs until the parent closes the pipe or dies; the atexit hook then stops the server.
    from pgserver._commands import pg_ctl  # noqa: PLC0415
    for line in sys.stdin:
        command = line.strip()
        if command == "stop":
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
            print(json.dumps({"stopped": True}), flush=True)
        elif command == "start":
            server.ensure_postgres_running()
            print(json.dumps({"started": True}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
