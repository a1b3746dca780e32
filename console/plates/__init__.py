"""Đọc biển số: Vietnamese plates read on demand from a picture (OCR off the GUI thread), normalised, kept."""
