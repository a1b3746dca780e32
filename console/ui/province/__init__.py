"""Trung tâm tỉnh: the province window — the province map, the cross-commune alert list, counts and the daily
report, over the province store the receiver fills (console/province/)."""
