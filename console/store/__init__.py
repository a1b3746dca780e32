"""SQLite storage: schema and migrations, saved layouts, later alerts and recordings."""
