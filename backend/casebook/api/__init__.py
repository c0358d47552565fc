"""The JSON API under /api/v1. Controllers only translate HTTP to service calls."""
