"""Alerts on screen: the list (model, panel), what raises and blinks them (center), the acknowledge and
incident dialogs, detection settings and zones, the handover report and its dialog, the words for kinds."""
