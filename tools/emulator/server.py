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


# What identifies an instance of a moto model, and the attributes that say it is deleted but kept (as AWS keeps it).
INVENTORY_ATTRIBUTES = ("arn", "name", "id", "key_id", "key_state", "status", "state")


def inventory() -> dict:
    """Every instance moto and the stand-in hold, by `<service>.<Model>`, with its INVENTORY_ATTRIBUTES.

    moto's own /moto-api/data.json serializes every attribute and fails on models whose attributes start a Docker
    client (Lambda); this reads only the identifying ones, and skips any that raise."""
    from moto.core.model_instances import model_data

    import codestar_standin

    found: dict = {}
    for service, models in model_data.items():
        for name, model in models.items():
            instances = []
            for instance in list(model.instances_tracked):
                picked = {}
                for attribute in INVENTORY_ATTRIBUTES:
                    try:
                        value = getattr(instance, attribute, None)
                    except Exception:  # noqa: BLE001 - a property moto cannot compute here says nothing about leftovers
                        continue
                    if isinstance(value, (str, int, float, bool)):
                        picked[attribute] = value
                instances.append(picked)
            found[f"{service}.{name}"] = instances
    return {**found, **codestar_standin.inventory()}


def build_app(stock: bool = False):
    """The WSGI application: the run's inventory, the CodeStar stand-in for its two services, moto for the rest."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.wrappers import Response

    import codestar_standin
    import moto_patches

    if not stock:
        moto_patches.apply_all()
    served = codestar_standin.dispatch(DomainDispatcherApplication(create_backend_app))

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_emulator/inventory":
            return Response(json.dumps(inventory()), 200, content_type="application/json")(environ, start_response)
        return served(environ, start_response)

    return app


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
    # Loopback only: nothing outside this machine may reach the emulated account.
    server = make_server("127.0.0.1", args.port, build_app(args.stock), threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    if not sys.stdin.isatty():
        threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    print(json.dumps({"port": server.server_port}), flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
