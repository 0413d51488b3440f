"""socle: shared settings and the project's command line."""
