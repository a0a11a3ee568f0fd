"""The ``powerbalance`` command line: thin commands over the library.

Each module of this package that defines ``register(app)`` adds its commands;
:mod:`powerbalance.interfaces.cli.main` discovers them, so a new command group
is a new module here and nothing else.
"""
