"""The table declarations type checkers read change nothing Piccolo builds from them."""

from piccolo.columns import Serial
from piccolo.table import Table

import casebook.db.tables as tables
from casebook.db.tables import ALL_TABLES, CaseRecord, LessonRecord
from casebook.db.tables.publishable import PublishableRecord, RecordFacet, RecordRevision


def test_every_table_is_exported_by_name():
    assert sorted(tables.__all__) == sorted([t.__name__ for t in ALL_TABLES] + ["ALL_TABLES"])


def test_the_annotated_id_is_piccolos_implicit_primary_key():
    for table in ALL_TABLES:
        pk = table._meta.primary_key
        assert isinstance(pk, Serial) and pk._meta.name == "id" and pk._meta.db_column_name == "id", table
        assert table.id is pk and pk in table._meta.default_columns, table
        assert table._meta.columns[0] is pk and [c._meta.name for c in table._meta.columns].count("id") == 1, table


def test_the_publishable_bases_are_plain_tables_at_run_time():
    assert PublishableRecord is RecordRevision is RecordFacet is Table
    assert CaseRecord.__bases__ == (Table,) and LessonRecord.__bases__ == (Table,)
