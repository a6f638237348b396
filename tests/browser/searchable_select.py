"""Choosing in a searchable select (static/js/searchable-select.js) as a keyboard user does: type, arrows, Enter."""

ARROW_PRESSES_AT_MOST = 25


def choose_by_keyboard(page, combobox, typed: str, value: str) -> None:
    """Focuses `combobox` (the select's text box, a Locator), types `typed`, walks the matches with the down arrow
    to the option of `value` and presses Enter, then Escape to close the list. No mouse."""
    combobox.focus()
    page.keyboard.type(typed)
    listbox = page.locator(f"#{combobox.get_attribute('aria-controls')}")
    listbox.locator(f".option[data-value='{value}']").wait_for()
    for _press in range(ARROW_PRESSES_AT_MOST):
        if listbox.locator(".option.active").get_attribute("data-value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    # Closed before the caller goes on: an open list would take the next click (the list closes asynchronously).
    listbox.wait_for(state="hidden")


def choose_in(page, select_id: str, typed: str, value: str) -> None:
    """`choose_by_keyboard` for the select of id `select_id`, in any language (no label needed)."""
    choose_by_keyboard(page, page.locator(f"#{select_id}-ts-control"), typed, value)
