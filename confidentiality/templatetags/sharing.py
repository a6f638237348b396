"""`{% state_badge record %}` and `{% audience_badge record %}` (confidentiality.badges)."""

from django import template

from confidentiality import badges

register = template.Library()
register.simple_tag(badges.state_badge, name="state_badge")
register.simple_tag(badges.audience_badge, name="audience_badge")
