"""The staff web UI under /admin: SQLAdmin CRUD screens, the day board, staff logins."""
