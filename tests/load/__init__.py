"""A real server under load: gunicorn on a loopback port over its own
database, readers and two authors (one through the admin, one through the
ORM in another process), every request and save recorded.
"""
