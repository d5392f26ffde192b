"""Reminders before a visit, with Confirm / Cancel / Reschedule buttons (sent by the worker)."""
