"""Who is at the desk and what they may do: logins, the lock screen's state, shift changes, roles enforced where
an action is performed, and the users an admin manages (issue 19). No Qt here: the UI asks, this decides."""
