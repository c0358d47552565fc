"""Database layer: Piccolo tables, engine and migrations."""

import os

os.environ.setdefault("PICCOLO_CONF", "casebook.db.piccolo_conf")
