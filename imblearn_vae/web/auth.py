"""Signing up, logging in and out."""

import re

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select

from . import sessions, throttle
from .forms import ActionForm, LoginForm, SignupForm
from .models import User, db, verify_password

blueprint = Blueprint("auth", __name__)

#: One message for an unknown user and a wrong password: a visitor cannot
#: learn which accounts exist.
BAD_LOGIN = "Wrong user name or password."

#: A local path a browser cannot read as another host: one "/", then no
#: second "/" or "\" (which browsers take as "/"); printable ASCII without
#: spaces, so no tab or newline that browsers drop before parsing.
_LOCAL_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")


def client_address() -> str:
    # The client's address as ProxyFix leaves it: the proxy's own address
    # unless TRUSTED_PROXIES says how many proxies to look through.
    return request.remote_addr or "unknown"


def find_user(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.lower())
    )


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
            sessions.start(user)
            flash("Welcome! Your account is ready.")
            response = redirect(url_for("pages.predict"))
            throttle.set_device_cookie(response, username)
            return response
    status = 400 if request.method == "POST" else 200
    return render_template("signup.html", form=form), status


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.predict"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("login.html", form=form), status
    username, address = form.username.data.strip(), client_address()
    device = throttle.trusted_device(username)
    wait = throttle.wait_seconds(username, address, device)
    if wait:
        form.form_errors.append(
            f"Too many failed log-ins for this account or from this address: "
            f"try again in {wait} seconds (a browser you logged in with before "
            "is not held back)."
        )
        response = make_response(render_template("login.html", form=form), 429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = find_user(username)
    # Checked against a dummy hash when there is no such user: both answers
    # cost one scrypt, so timing does not tell which names exist.
    if verify_password(user, form.password.data):
        throttle.forget_device_failures(device)
        sessions.start(user)
        response = redirect(
            safe_next(request.args.get("next")) or url_for("pages.predict")
        )
        throttle.set_device_cookie(response, username)
        return response
    throttle.record_failure(username, address, device)
    current_app.logger.info("failed log-in for an account from %s", address)
    form.form_errors.append(BAD_LOGIN)
    return render_template("login.html", form=form), 401


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path of this site that no browser reads as
    another host, else None (OWASP ASVS 4.0 V5.1.5: no open redirects)."""
    if target and _LOCAL_PATH.fullmatch(target):
        return target
    return None


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    if ActionForm().validate_on_submit():
        sessions.end(current_user)
        flash("You are logged out.")
    return redirect(url_for("pages.home"))
