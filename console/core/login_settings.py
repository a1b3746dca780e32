"""What the site file says about logins (`[login]`): whether the wall stays visible (read-only) behind the
lock screen, after how many idle minutes the screen locks itself, and whether officers may export evidence.

```toml
[login]
wall_visible_when_locked = true   # default false: the lock screen hides the wall
lock_after_idle_min = 15          # default 0: never locks by itself
officer_may_export = true         # default true: false keeps evidence export for admins
```
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_IDLE_MIN = 12 * 60


@dataclass(frozen=True)
class LoginSettings:
    wall_visible_when_locked: bool = False
    lock_after_idle_min: float = 0.0  # 0: never
    officer_may_export: bool = True


DEFAULT_LOGIN = LoginSettings()
