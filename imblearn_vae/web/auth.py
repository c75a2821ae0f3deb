"""Signing up, logging in and out, with failed log-ins throttled."""

import datetime

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from .forms import ActionForm, LoginForm, SignupForm
from .models import LoginFailure, User, db, utcnow

blueprint = Blueprint("auth", __name__)

#: Failed log-ins counted over this window.
THROTTLE_WINDOW = datetime.timedelta(minutes=15)
#: Failures in the window after which an account is locked for the rest of it.
ACCOUNT_FAILURES = 5
#: Failures from one address (any accounts) after which it is locked.
ADDRESS_FAILURES = 20

#: One message for an unknown user and a wrong password: a visitor cannot
#: learn which accounts exist.
BAD_LOGIN = "Wrong user name or password."


def client_address() -> str:
    # Behind a reverse proxy, run gunicorn with --forwarded-allow-ips so that
    # remote_addr is the client's, not the proxy's.
    return request.remote_addr or "unknown"


def find_user(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.lower())
    )


def _throttled(username: str, address: str) -> bool:
    since = utcnow() - THROTTLE_WINDOW
    failures = select(func.count(LoginFailure.id)).where(
        LoginFailure.created_at >= since
    )
    by_account = db.session.scalar(
        failures.where(LoginFailure.username == username.lower())
    )
    by_address = db.session.scalar(failures.where(LoginFailure.address == address))
    return by_account >= ACCOUNT_FAILURES or by_address >= ADDRESS_FAILURES


@blueprint.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.predict"))
    form = SignupForm()
    if form.validate_on_submit():
        username = form.username.data
        if find_user(username) is not None:
            form.username.errors.append("This name is taken.")
        else:
            user = User(username=username)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            login_user(user)
            flash("Welcome! Your account is ready.")
            return redirect(url_for("pages.predict"))
    status = 400 if request.method == "POST" else 200
    return render_template("signup.html", form=form), status


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.predict"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username, address = form.username.data.strip(), client_address()
        if _throttled(username, address):
            minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
            form.form_errors.append(
                f"Too many failed log-ins. Try again in {minutes} minutes."
            )
            return render_template("login.html", form=form), 429
        user = find_user(username)
        if user is not None and user.check_password(form.password.data):
            db.session.execute(
                LoginFailure.__table__.delete().where(
                    LoginFailure.username == username.lower()
                )
            )
            db.session.commit()
            login_user(user)
            return redirect(_safe_next() or url_for("pages.predict"))
        db.session.add(LoginFailure(username=username.lower()[:64], address=address))
        db.session.commit()
        current_app.logger.info("failed log-in for an account from %s", address)
        form.form_errors.append(BAD_LOGIN)
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form), status


def _safe_next() -> str | None:
    """The page to return to after log-in, if it is one of this site's."""
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    if ActionForm().validate_on_submit():
        logout_user()
        flash("You are logged out.")
    return redirect(url_for("pages.home"))
