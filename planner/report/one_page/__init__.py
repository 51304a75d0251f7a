"""The one-page report of a plan, for a director: :func:`one_page` writes it, :mod:`.html` and :mod:`.pdf` lay it out."""
