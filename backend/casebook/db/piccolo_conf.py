"""Piccolo's configuration module (PICCOLO_CONF points here): the engine follows the settings."""

from piccolo.conf.apps import AppRegistry

from casebook.db.engine import make_engine

DB = make_engine()
APP_REGISTRY = AppRegistry(apps=["casebook.db.piccolo_app"])
