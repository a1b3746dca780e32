"""Removes camera passwords from anything that could be printed, logged or shown."""

from __future__ import annotations

import logging
import re

# user:password@ in any URL-ish text; greedy to the last '@' before the host, as a raw '@' in a password is common.
_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:@/\s]*):(?P<password>[^\s/]*)@")
MASK = "***"


def redact(text: str) -> str:
    """Return text with every `scheme://user:password@` turned into `scheme://user:***@`."""
    return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)


def redact_secret(text: str, secret: str) -> str:
    """Also mask a known secret that appears outside a URL (for example in an FFmpeg message)."""
    out = redact(text)
    return out.replace(secret, MASK) if secret else out


class RedactingFilter(logging.Filter):
    """Logging filter that rewrites the final message of every record through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True
