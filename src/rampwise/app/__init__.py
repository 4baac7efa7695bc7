"""The applications: the command line, the web service and the store."""
