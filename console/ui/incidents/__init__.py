"""Vụ việc on screen (issue 21): the incidents dock (search, list, the case with its notes and linked items),
the incident form and the intake sheet of a citizen's video (*Tiếp nhận video từ người dân*). The window calls
`console.ui.incidents.install.install_incidents`."""
