"""`{% status_badge program %}` (programs.badges)."""

from django import template

from programs import badges

register = template.Library()
register.simple_tag(badges.status_badge, name="status_badge")
