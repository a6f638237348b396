"""Names of the two auth Groups every organization's members share implicitly (no membership rows)."""

ALL_IROS_GROUP = "portal:all-iro-members"
PUBLIC_GROUP = "portal:public"
ORGANIZATION_GROUP_PREFIX = "iro:"


def organization_group_name(acronym: str) -> str:
    return f"{ORGANIZATION_GROUP_PREFIX}{acronym}"
