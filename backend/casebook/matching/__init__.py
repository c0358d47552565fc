"""Case-based matching: which proven partnerships are most like a situation, and why."""
