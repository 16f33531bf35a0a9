"""Dialogs of the window (each opened by a view, never by a model)."""
