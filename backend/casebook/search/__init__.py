"""Full-text and faceted search over cases, behind one small interface with two backends."""
