"""When the database cannot be reached: public pages from the store, marked stale; else 503.

A public GET whose page was built before is answered with the newest copy kept (whatever
its public version), `Cache-Control` allowing `stale-if-error` and `X-GSTP-Stale: 1`.
Everything else (signed-in pages, forms, a page never built) answers 503 with Retry-After
and a short bilingual page that needs no database; a refused form is offered back with
what the person typed, ready to send again. Nothing was written: the request's
transaction never committed.
"""
import sqlalchemy as sa
from flask import Flask, Response, current_app, request, session

from gstp.extensions import db
from gstp.i18n import select_locale
from gstp.pagecache.keys import page_address

SHARING = "gstp.pagecache.sharing"  # environ: the Sharing of the shared page asked for
RETRY_AFTER_SECONDS = 5
STALE_CACHE_CONTROL = "public, max-age=0, stale-if-error=86400"
# Typed values never written back into a page, even one served to the person who typed them.
SECRET_FIELDS = ("password", "mot_de_passe", "csrf")
_MAX_FIELD = 100_000


def is_outage(error: BaseException) -> bool:
    """A database that refuses or dropped the connection (not a wrong query)."""
    if isinstance(error, sa.exc.DBAPIError):
        return error.connection_invalidated or isinstance(
            error, sa.exc.OperationalError | sa.exc.InterfaceError)
    return isinstance(error, sa.exc.DisconnectionError | sa.exc.TimeoutError)


def stale_page() -> Response | None:
    """The newest copy of the public page asked for, marked stale; None if there is none."""
    sharing = request.environ.get(SHARING)
    if sharing is None or request.method not in {"GET", "HEAD"}:
        return None
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    anonymous = "_user_id" not in session and remember not in request.cookies
    if not (anonymous or sharing.everyone):
        return None
    cookies = [request.cookies.get(name, "") for name in sharing.cookies]
    stored = current_app.extensions["gstp_page_store"].newest(page_address(
        language=select_locale(), environ=request.environ, cookies=cookies,
        base_url_configured=bool(current_app.config["PUBLIC_BASE_URL"])))
    if stored is None:
        return None
    gzipped = request.accept_encodings["gzip"] > 0 and bool(stored.gzipped)
    response = Response(stored.gzipped if gzipped else stored.body, status=stored.status,
                        headers=list(stored.headers))
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.update(("Accept-Encoding", "Accept-Language", "Cookie"))
    response.headers["Cache-Control"] = (STALE_CACHE_CONTROL if anonymous
                                         else "private, no-cache")
    response.headers["X-GSTP-Stale"] = "1"
    response.headers["Warning"] = '110 - "Response is Stale"'
    return response


def _typed_fields() -> list[tuple[str, str]]:
    """What the refused form carried, secrets left out, for the person to send it again."""
    if request.method != "POST" or request.mimetype not in {
            "application/x-www-form-urlencoded", "multipart/form-data"}:
        return []
    try:
        items = request.form.items(multi=True)
        return [(name, value[:_MAX_FIELD]) for name, value in items
                if not any(word in name.lower() for word in SECRET_FIELDS)]
    except Exception:  # noqa: BLE001 - an unreadable body: nothing to offer back
        return []


def unavailable() -> Response:
    """503 with Retry-After and the bilingual page; no template here reads the database."""
    fields = _typed_fields()
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = request.form.get(csrf_field) if fields else None
    # Straight from Jinja: Flask's context processors would load the signed-in account.
    body = current_app.jinja_env.get_template("errors/503.html").render(
        fields=fields, action=request.full_path, csrf_field=csrf_field,
        csrf_token_value=token)
    response = Response(body, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _forget_session() -> None:
    """Roll back what the request began (nothing was committed); a dead link is dropped."""
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        _drop_session()


def handle(error: Exception):
    """Error handler of database exceptions: an outage is answered, anything else re-raised."""
    if not is_outage(error):
        raise error
    current_app.logger.warning("database unavailable for %s %s: %s", request.method,
                               request.path, str(error).splitlines()[0] if str(error) else error)
    _forget_session()
    return stale_page() or unavailable()


def close_session(_error: BaseException | None = None) -> None:
    """The request's session closed before Flask-SQLAlchemy's own teardown, without an error
    when the database dropped the connection after the answer was made (it stopped while the
    request ran): a failed ROLLBACK must not turn a page already built into a 500."""
    try:
        db.session.remove()
    except sa.exc.SQLAlchemyError:
        _drop_session()
        db.session.registry.clear()


def _drop_session() -> None:
    """Invalidate the request's session: the pool drops its dead connection."""
    if db.session.registry.has():
        db.session.registry().invalidate()


def init_app(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's: teardowns run last registered first.
    app.teardown_appcontext(close_session)
    app.register_error_handler(sa.exc.DBAPIError, handle)
    app.register_error_handler(sa.exc.DisconnectionError, handle)
    app.register_error_handler(sa.exc.TimeoutError, handle)
