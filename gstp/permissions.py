"""Who may do what: decorators for views and checks for services."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def staff_required(view):
    """Staff or admin only; anonymous visitors are sent to the sign-in page."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    """Admins only."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def organizer_required(view):
    """A signed-in person acting for an organization (staff may act too)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.organization_id is None and not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def can_manage_activity(user, activity) -> bool:
    """Staff manage every activity; an organizer only those of their own organization."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (user.organization_id is not None
                             and user.organization_id == activity.organization_id)
