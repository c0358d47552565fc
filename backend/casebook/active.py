"""The runtime this process is running (casebook.runtime.Runtime), for code that is not handed one.

The app and the CLI hand their runtime's parts (search backend, matcher, job runner) to the services they
call, and the services pass them on: the engines (search, matching) have no default of their own. Two
readers remain, each reached from too many places for a parameter to be worth it: the outbox's wake-up after
a commit (db/outbox: every write path commits, and must not learn which runtime listens) and settings read
for file paths and links (settings.get_settings). The CLI's commands also find their runtime here
(cli/runner.current_runtime), since a command's coroutine is made before its runtime starts. It imports
nothing of ours, so every layer may read it; a runtime installs itself when it starts and leaves when it closes.
"""

from __future__ import annotations

from typing import Any

_runtime: Any = None


def runtime() -> Any:
    """The started runtime, or None (before the app or a command starts one, after it closes)."""
    return _runtime


def install(runtime: Any) -> Any:
    """Makes `runtime` the process's runtime; returns the one it replaces (restored by `restore`)."""
    global _runtime
    previous, _runtime = _runtime, runtime
    return previous


def restore(runtime: Any, previous: Any) -> None:
    """Puts `previous` back, if `runtime` is still the installed one."""
    global _runtime
    if _runtime is runtime:
        _runtime = previous


def require() -> Any:
    """The started runtime; a clear error when none is (a bare engine call outside the app or CLI)."""
    if _runtime is None:
        raise RuntimeError("no Casebook runtime is running: build one with casebook.runtime.Runtime.build()")
    return _runtime
