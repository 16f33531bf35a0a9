"""Data files the app reads beside core/ and ui/: fonts, icons, summary templates."""
