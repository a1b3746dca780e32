"""The cyclic garbage collector kept off what lives for the whole run.

Python's full collection walks every tracked object while every thread waits on the GIL. Once the window is up
and the ONVIF library has parsed its WSDL schemas (zeep: hundreds of thousands of objects), each full collection
paused the whole console: the PTZ benchmark's longest GUI-thread blocks (506 and 750 ms on a loaded box) had the
ONVIF loop's thread in a collection, and one collection measured 596 ms. `gc.freeze()` moves every object alive
now into a permanent generation the collector never walks, so later collections cost only what was made since;
it is a pointer splice, not a collection (no pause itself). What is frozen is still freed by its reference count;
only a reference cycle among frozen objects would stay, and at that point they are the modules, the schemas, the
site's configuration and the window: kept for the run anyway.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_long_lived() -> int:
    """Freeze what is alive now; returns how many objects the collector will no longer walk."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("garbage collector: %d long-lived objects frozen", frozen)
    return frozen
