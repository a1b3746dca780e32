"""Widgets and drawing shared by several windows: the official-form writer, …"""
