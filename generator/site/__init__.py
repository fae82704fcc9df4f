"""Rendering the portal: page specs from derived data, rendered through mkdocs-material's own templates."""
