"""Extension objects, created unbound and initialised in create_app (Flask-Mail with timeouts)."""
import smtplib

from flask import current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_mail import Connection, Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic's batch mode rebuild SQLite tables reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimeoutConnection(Connection):
    """Flask-Mail's connection, opened with a socket timeout (MAIL_TIMEOUT seconds).

    Flask-Mail builds smtplib.SMTP(server, port) without one: a server that accepts the
    connection and never answers would block the worker forever.
    """

    def __init__(self, state, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Connect, STARTTLS and log in like Flask-Mail, with the timeout on the socket."""
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=self.timeout)
        host.set_debuglevel(int(state.debug))
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        if self.host is None:
            return
        if exc_type is None:
            self.host.quit()
        else:
            # After a failure QUIT could wait another timeout, or raise and hide the
            # server's refusal behind a disconnection: just drop the connection.
            self.host.close()


class TimeoutMail(Mail):
    """Flask-Mail whose connections use TimeoutConnection."""

    def connect(self) -> TimeoutConnection:
        """Open a connection to the mail host with the configured timeout."""
        app = self.app or current_app
        return TimeoutConnection(app.extensions["mail"], float(app.config["MAIL_TIMEOUT"]))


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
mail = TimeoutMail()  # Flask-Mail with MAIL_TIMEOUT on every SMTP connection
login_manager = LoginManager()
babel = Babel()
