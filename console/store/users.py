"""Users in the console's database; the seed's initial users are added once and never overwritten."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from console.core.users import Role, User


class UserStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def import_seed(self, users: list[User]) -> list[str]:
        """Add the users whose login is not in the database yet; return the logins added. An existing user
        (perhaps renamed, re-roled or given a new password here since) is left exactly as it is."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added = []
        with self._db.conn:
            for user in users:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO users (login, full_name, role, password_hash, source, created_utc, disabled)"
                    " VALUES (?, ?, ?, ?, 'seed', ?, 0)",
                    [user.login, user.full_name, user.role.value, user.password_hash, now])
                if cursor.rowcount:
                    added.append(user.login)
        return added

    def all(self) -> list[User]:
        return [User(row["login"], row["full_name"], Role(row["role"]), row["password_hash"])
                for row in self._db.table("users").rows_where("disabled = 0", order_by="login")]
