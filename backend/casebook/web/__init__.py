"""Server-rendered pages (Jinja templates in frontend/templates). Controllers call the services only."""
