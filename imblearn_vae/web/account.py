"""A user's own account: change the password, log out everywhere, delete
the account with everything it holds."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from . import sessions, throttle
from .accounts import delete_user, revoke_all_tokens
from .forms import ActionForm, DeleteAccountForm, PasswordChangeForm
from .models import db

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _password_again(field) -> tuple[bool, int]:
    """Check the password typed in ``field`` again, within the log-in's
    limits (per account and per address): a stolen session cookie must not
    become a taken account by guessing the password behind it."""
    user = current_user._get_current_object()
    return throttle.check_password(user.username, user, field.data)


def _page(form, delete_form, status: int, wait: int = 0):
    """The Account page with these forms; a 429 with Retry-After if ``wait``."""
    page = render_template("account.html", form=form, delete_form=delete_form)
    if wait:
        return throttle.held_response(page, wait)
    return page, status


@blueprint.route("", methods=["GET", "POST"])
@login_required
def index():
    form = PasswordChangeForm(current_user.username)
    wait = 0
    if form.validate_on_submit():
        right, wait = _password_again(form.current)
        if right:
            return _change_password(form)
        form.current.errors.append(
            throttle.held_back(wait) if wait else "This is not your current password."
        )
    status = 400 if request.method == "POST" else 200
    return _page(form, DeleteAccountForm(formdata=None), status, wait)


def _change_password(form):
    user = current_user._get_current_object()
    user.set_password(form.password.data)
    # A changed password ends every session, this one included; this
    # browser goes on in a fresh one (NIST SP 800-63B 6.1.2.3 spirit).
    sessions.end_all(user.id)
    if form.revoke_tokens.data:
        revoke_all_tokens(user.id)
    db.session.commit()
    sessions.start(user)
    tokens = " and your API tokens are revoked" if form.revoke_tokens.data else ""
    flash(f"Your password is changed; every other session is logged out{tokens}.")
    return redirect(url_for("account.index"))


@blueprint.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if ActionForm().validate_on_submit():
        sessions.end_all(current_user.id)
        db.session.commit()
        sessions.end(current_user)
        flash("You are logged out in every browser.")
    return redirect(url_for("pages.home"))


@blueprint.route("/delete", methods=["POST"])
@login_required
def delete():
    """Delete the account, its predictions, tokens and sessions, after the
    password is given again (a left-open browser cannot do it alone)."""
    form = DeleteAccountForm()
    wait = 0
    if form.validate_on_submit():
        right, wait = _password_again(form.password)
        if right:
            name = current_user.username
            delete_user(current_user.id)
            logout_user()
            sessions.clear_browser_session()
            flash(f"The account {name} and all its data are deleted.")
            return redirect(url_for("pages.home"))
        form.password.errors.append(
            throttle.held_back(wait) if wait else "This is not your password."
        )
    change = PasswordChangeForm(current_user.username, formdata=None)
    return _page(change, form, 400, wait)
