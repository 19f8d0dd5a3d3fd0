"""Main navigation: each domain registers its own links, so no template lists them all."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation, shown when `visible(current_user)` is true."""

    endpoint: str
    label: object  # a lazy_gettext string
    order: int
    visible: Callable[[object], bool]


_ITEMS: list[NavItem] = []


def everyone(user) -> bool:
    return True


def organizers(user) -> bool:
    return user.is_authenticated and getattr(user, "organization_id", None) is not None


def staff(user) -> bool:
    return user.is_authenticated and user.is_staff


def register_nav(endpoint: str, label, *, order: int = 50,
                 visible: Callable[[object], bool] = everyone) -> None:
    """Add a link; called at import time by a domain's views module."""
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, order, visible))
        _ITEMS.sort(key=lambda item: item.order)


def items_for(visible: Callable[[object], bool]) -> list[NavItem]:
    """The registered links shown to one audience (e.g. `staff`), in menu order."""
    return [item for item in _ITEMS if item.visible is visible]


def nav_links() -> list[dict]:
    """The links this visitor may see, marking the current page."""
    return [
        {"url": url_for(item.endpoint), "label": item.label,
         "active": request.endpoint == item.endpoint}
        for item in _ITEMS if item.visible(current_user)
    ]


def init_app(app: Flask) -> None:
    """Expose nav_links() to templates."""
    app.jinja_env.globals["nav_links"] = nav_links
