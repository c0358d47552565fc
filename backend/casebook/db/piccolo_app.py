"""The Piccolo app: tables and migrations of Casebook."""

import os

from piccolo.conf.apps import AppConfig

from casebook.db.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="casebook",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "migrations"),
    table_classes=ALL_TABLES,
)
