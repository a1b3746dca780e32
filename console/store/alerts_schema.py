"""Schema of the alert log (migrations 3 and 6 of console.db)."""

from __future__ import annotations

import sqlite_utils


def schema_v3(db: sqlite_utils.Database) -> None:
    """Alerts, their full-text notes (diacritics-insensitive: "xe may" finds "xe máy") and the audit trail."""
    db.executescript("""
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            started_ms INTEGER NOT NULL,
            peak_ms INTEGER,
            ended_ms INTEGER,
            camera_id TEXT,
            site_id TEXT,
            kind TEXT NOT NULL,
            priority INTEGER NOT NULL,
            score REAL NOT NULL DEFAULT 0,
            snapshot TEXT,
            state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'closed')),
            note TEXT NOT NULL DEFAULT '',
            acked_by TEXT,
            acked_ms INTEGER,
            closed_by TEXT,
            closed_ms INTEGER
        );
        CREATE INDEX alerts_started ON alerts (started_ms);
        CREATE INDEX alerts_state ON alerts (state, started_ms);
        CREATE INDEX alerts_camera ON alerts (camera_id, started_ms);
        CREATE INDEX alerts_site ON alerts (site_id, started_ms);
        CREATE INDEX alerts_kind ON alerts (kind, started_ms);
        CREATE INDEX alerts_priority ON alerts (priority, started_ms);
        CREATE VIRTUAL TABLE alerts_fts USING fts5 (note, content='alerts', content_rowid='id',
                                                    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
        -- New alerts' notes (manual incidents) are indexed by the writer in one executemany: a trigger on
        -- every insert halved the insert rate. Notes changed later go through this trigger.
        -- Only non-empty notes are indexed: the 'delete' must name exactly what was indexed.
        CREATE TRIGGER alerts_fts_update AFTER UPDATE OF note ON alerts BEGIN
            INSERT INTO alerts_fts (alerts_fts, rowid, note) SELECT 'delete', old.id, old.note WHERE old.note != '';
            INSERT INTO alerts_fts (rowid, note) SELECT new.id, new.note WHERE new.note != '';
        END;
        CREATE TABLE alert_audit (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts (id),
            at_ms INTEGER NOT NULL,
            actor TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX alert_audit_alert ON alert_audit (alert_id);
    """)


def schema_v6(db: sqlite_utils.Database) -> None:
    """The last activity of an episode still going on (motion heartbeats): the list shows how long it has run.
    Older rows keep NULL (unknown): adding a column is instant, rewriting a year's log (1,000,000 rows) is not."""
    db.execute("ALTER TABLE alerts ADD COLUMN last_ms INTEGER")
