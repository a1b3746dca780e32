"""Signed evidence: the station's key pair, the signed manifest of an export, and the verifier a prosecutor runs
on a machine without the console (nothing here imports Qt, PyAV or the database)."""
