"""`clinic worker`: background jobs on procrastinate (PostgreSQL), reminders first."""
