"""A user's own account: change the password, log out everywhere, delete
the account with everything it holds."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from . import sessions
from .accounts import delete_user, revoke_all_tokens
from .forms import ActionForm, DeleteAccountForm, PasswordChangeForm
from .models import db, verify_password

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.route("", methods=["GET", "POST"])
@login_required
def index():
    form = PasswordChangeForm(current_user.username)
    if form.validate_on_submit():
        if verify_password(current_user, form.current.data):
            user = current_user._get_current_object()
            user.set_password(form.password.data)
            # A changed password ends every session, this one included; this
            # browser goes on in a fresh one (NIST SP 800-63B 6.1.2.3 spirit).
            sessions.end_all(user.id)
            if form.revoke_tokens.data:
                revoke_all_tokens(user.id)
            db.session.commit()
            sessions.start(user)
            tokens = (
                " and your API tokens are revoked" if form.revoke_tokens.data else ""
            )
            flash(
                f"Your password is changed; every other session is logged out{tokens}."
            )
            return redirect(url_for("account.index"))
        form.current.errors.append("This is not your current password.")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "account.html", form=form, delete_form=DeleteAccountForm(formdata=None)
    ), status


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
    if form.validate_on_submit():
        if verify_password(current_user, form.password.data):
            name = current_user.username
            delete_user(current_user.id)
            logout_user()
            flash(f"The account {name} and all its data are deleted.")
            return redirect(url_for("pages.home"))
        form.password.errors.append("This is not your password.")
    return render_template(
        "account.html",
        form=PasswordChangeForm(current_user.username, formdata=None),
        delete_form=form,
    ), 400
