"""Services: the one way in for pages, API and CLI. Each takes an Actor and enforces the access rule."""
