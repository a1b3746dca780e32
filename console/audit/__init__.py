"""The tamper-evident audit trail: who did what, when and where, each row chained to the one before by
SHA-256 and the chain signed by the station key at checkpoints. This package file imports nothing: the store's
migration uses `console.audit.chain` without pulling the writer in."""
