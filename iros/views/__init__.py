"""The iros app's pages, split by sub-domain: the public directory and events, and the Committee's IGO tables."""

from iros.views.directory import (
    event_detail_view,
    event_list_view,
    organization_detail_view,
    organization_edit_view,
    organization_list_view,
)
from iros.views.igo import (
    event_create_view,
    igo_export_csv_view,
    igo_export_xlsx_view,
    igo_organization_view,
    igo_table_view,
    interaction_create_view,
    interaction_delete_view,
    interaction_detail_view,
    interaction_edit_view,
    interaction_export_view,
    interaction_list_view,
)
from iros.views.options import options_view

__all__ = [
    "event_create_view",
    "event_detail_view",
    "event_list_view",
    "igo_export_csv_view",
    "igo_export_xlsx_view",
    "igo_organization_view",
    "igo_table_view",
    "interaction_create_view",
    "interaction_delete_view",
    "interaction_detail_view",
    "interaction_edit_view",
    "interaction_export_view",
    "interaction_list_view",
    "options_view",
    "organization_detail_view",
    "organization_edit_view",
    "organization_list_view",
]
