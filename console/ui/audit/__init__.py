"""The admin's *Nhật ký thao tác* window: the audit trail filtered, exported as CSV and verified."""
