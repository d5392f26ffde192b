"""Clinic Appointments: a booking service for outpatient clinics and its AI booking assistant."""
