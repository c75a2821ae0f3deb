"""Signing up, logging in and out."""

import re

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import sessions, throttle
from .forms import ActionForm, LoginForm, SignupForm
from .models import User, db, hash_password
from .names import name_key

blueprint = Blueprint("auth", __name__)

#: One message for an unknown user and a wrong password: a visitor cannot
#: learn which accounts exist.
BAD_LOGIN = "Wrong user name or password."

#: Sign-up says when a name is taken: a person choosing a name must learn it,
#: and the sign-up limit per address (SIGNUP_RATE_LIMIT) keeps a visitor
#: from probing many names (OWASP Authentication Cheat Sheet: on
#: registration, throttle rather than hide).
TAKEN = "This name is taken."

#: A local path a browser cannot read as another host: one "/", then no
#: second "/" or "\" (which browsers take as "/"); printable ASCII without
#: spaces, so no tab or newline that browsers drop before parsing.
_LOCAL_PATH = re.compile(r"/(?![/\\])[\x21-\x7e]*")


def find_user(username: str) -> User | None:
    """The account named ``username`` in any case or Unicode form."""
    return db.session.scalar(
        select(User).where(User.username_key == name_key(username))
    )


@blueprint.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.predict"))
    form = SignupForm()
    if form.validate_on_submit():
        # Hashed before the name is looked up: a taken name costs the same
        # scrypt as a new one, so the time does not tell which.
        hashed = hash_password(form.password.data)
        user = _new_user(form.username.data, hashed)
        if user is None:
            form.username.errors.append(TAKEN)
        else:
            sessions.start(user)
            flash("Welcome! Your account is ready.")
            response = redirect(url_for("pages.predict"))
            throttle.set_device_cookie(response, user.username)
            return response
    status = 400 if request.method == "POST" else 200
    return render_template("signup.html", form=form), status


def _new_user(username: str, hashed: str) -> User | None:
    """The new account, or None when the name is taken.

    The look-up answers most requests; two requests for one name at once
    both pass it, and the unique normal name in the database refuses the
    second.
    """
    if find_user(username) is not None:
        return None
    user = User(username=username, password_hash=hashed)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.predict"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("login.html", form=form), status
    username = form.username.data.strip()
    user = find_user(username)
    # Checked against a dummy hash when there is no such user: both answers
    # cost one scrypt, so timing does not tell which names exist.
    right, wait = throttle.check_password(username, user, form.password.data)
    if wait:
        form.form_errors.append(throttle.held_back(wait))
        return throttle.held_response(render_template("login.html", form=form), wait)
    if right:
        sessions.start(user)
        response = redirect(
            safe_next(request.args.get("next")) or url_for("pages.predict")
        )
        throttle.set_device_cookie(response, username)
        return response
    current_app.logger.info(
        "failed log-in for an account from %s", throttle.client_address()
    )
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
