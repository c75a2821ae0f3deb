"""API tokens: a user creates, sees and revokes their own."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .forms import ActionForm, TokenForm
from .models import ApiToken, db, utcnow

blueprint = Blueprint("tokens", __name__, url_prefix="/tokens")


@blueprint.route("", methods=["GET", "POST"])
@login_required
def index():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        token, secret = ApiToken.issue(current_user, form.name.data.strip())
        db.session.add(token)
        db.session.commit()
    tokens = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.id.desc())
    ).all()
    status = 400 if request.method == "POST" and secret is None else 200
    return render_template(
        "tokens.html", form=form, tokens=tokens, secret=secret
    ), status


@blueprint.route("/<id:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
        flash(f"Token {token.name!r} is revoked; programs using it are refused now.")
    return redirect(url_for("tokens.index"))
