"""Migration 11 of console.db: the incidents' tables appear all at once or not at all, beside the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.store.database import open_database
from console.store.incidents import schema_v11

TABLES = {"incidents", "incident_officers", "incident_notes", "incident_links", "incident_videos", "incident_search"}


def test_migration_11_is_one_transaction_a_failure_leaves_no_table(tmp_path: Path) -> None:
    db = open_database(tmp_path / "console.db")
    try:
        if "incidents" not in db.table_names():  # until console/store/database.py lists the migration
            with pytest.raises(RuntimeError), db.conn:
                schema_v11(db)
                raise RuntimeError("power cut")
            assert not TABLES & set(db.table_names())
            with db.conn:
                schema_v11(db)
        assert set(db.table_names()) >= TABLES | {"audit", "alerts"}
    finally:
        db.close()
