"""The frame of the console: the main window, About, first start, fonts, translations, Qt's log, the loop."""
