"""The emulated AWS account of `npm run test:emulator`: moto's server with this folder's patches, and the
stand-in for the two CodeStar services moto does not emulate, on one loopback port.

    python3 tools/emulator/server.py [--port 0] [--stock]

Prints one JSON line, {"port": N}, once it listens on 127.0.0.1 (port 0: a free one). It stops when its standard
input closes (the runner that started it holds the other end, so the server cannot outlive it) or on SIGTERM.
--stock serves moto as it is, without patches (to see what a moto upgrade fixed).
"""

import argparse
import json
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# A moto setting, not a patch: AWS-managed policies (ReadOnlyAccess, AWSCodeDeployRoleForECS, ...) exist in every AWS
# account, and the stacks attach them; moto loads them only when asked (moto docs, IAM: MOTO_IAM_LOAD_MANAGED_POLICIES).
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

MOTO_MISSING = (
    "the AWS emulator needs moto 5.2.1 with its server in the python3 on the PATH "
    "(install it with: python3 -m pip install 'moto[server]==5.2.1')"
)


def build_app(stock: bool = False):
    """The WSGI application: the CodeStar stand-in for its two services, moto for everything else."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    import codestar_standin
    import moto_patches

    if not stock:
        moto_patches.apply_all()
    return codestar_standin.dispatch(DomainDispatcherApplication(create_backend_app))


def request_handler_class():
    from werkzeug.serving import WSGIRequestHandler

    class OneRequestPerConnection(WSGIRequestHandler):
        protocol_version = "HTTP/1.0"

    return OneRequestPerConnection


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: a free one)")
    parser.add_argument("--stock", action="store_true", help="serve moto without this folder's patches")
    args = parser.parse_args()
    try:
        import moto  # noqa: F401
        from werkzeug.serving import make_server
    except ImportError:
        print(MOTO_MISSING, file=sys.stderr)
        return 3
    import moto_patches

    problem = moto_patches.version_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 3
    # Loopback only: nothing outside this machine may reach the emulated account. One request per connection
    # (HTTP/1.0), so no connection is reused: in runs with keep-alive, a client waited until its read timeout for a
    # DeleteObject the server had logged as answered (204), and the provider retried a Lambda CreateFunction that
    # had been served (the retry got "Function already exist").
    server = make_server("127.0.0.1", args.port, build_app(args.stock), threaded=True, request_handler=request_handler_class())
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    if not sys.stdin.isatty():
        threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    print(json.dumps({"port": server.server_port}), flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
