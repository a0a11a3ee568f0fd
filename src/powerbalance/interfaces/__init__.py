"""Interfaces: the command line, reports and the web dashboard. They hold no logic."""
