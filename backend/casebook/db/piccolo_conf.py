"""Piccolo's configuration module (PICCOLO_CONF points here).

`DB` is set by whoever builds the engine (casebook.runtime, through db.engine.bind_engine); Piccolo tools
run on their own (`piccolo migrations ...`) get one built from the environment's settings on first use.
"""

from typing import Any

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["casebook.db.piccolo_app"])


def __getattr__(name: str) -> Any:
    if name == "DB":
        from casebook.db.engine import make_engine
        globals()["DB"] = engine = make_engine()
        return engine
    raise AttributeError(name)
