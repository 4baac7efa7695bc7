"""JSON routes, one router per resource; every one is thin over the library functions."""
