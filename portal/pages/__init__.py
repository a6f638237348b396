"""Pages that combine apps: the dashboards, search, the cooperation map — and the layout every page shares
(its template tags and the viewer in every template's context). Above the domain apps, below the wiring."""
