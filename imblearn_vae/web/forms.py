"""The site's fixed forms (the prediction form is built from the model's schema)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, StringField, ValidationError
from wtforms.validators import EqualTo, InputRequired, Length

from .names import name_problem
from .passwords import MAX_LENGTH, password_problem


class NewName:
    """A field validator: the user name passes :func:`~.names.name_problem`."""

    def __call__(self, form, field):
        problem = name_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class NewPassword:
    """A field validator: the password passes :func:`password_problem` for the
    user named by the form's ``username`` field (or the logged-in user)."""

    def __call__(self, form, field):
        username = form.username.data if hasattr(form, "username") else ""
        username = username or getattr(form, "account_name", "")
        problem = password_problem(field.data or "", username or "")
        if problem:
            raise ValidationError(f"Password: {problem}.")


class SignupForm(FlaskForm):
    username = StringField(
        "User name",
        validators=[InputRequired(), NewName()],
    )
    password = PasswordField("Password", validators=[InputRequired(), NewPassword()])
    confirm = PasswordField(
        "Repeat the password",
        validators=[InputRequired(), EqualTo("password", "The passwords differ.")],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[InputRequired(), Length(max=MAX_LENGTH)]
    )
    password = PasswordField(
        "New password", validators=[InputRequired(), NewPassword()]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[InputRequired(), EqualTo("password", "The passwords differ.")],
    )
    revoke_tokens = BooleanField("Also revoke my API tokens", default=True)

    def __init__(self, account_name: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_name = account_name


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[InputRequired(), Length(max=64)])
    password = PasswordField(
        "Password", validators=[InputRequired(), Length(max=MAX_LENGTH)]
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Name of the token", validators=[InputRequired(), Length(min=1, max=64)]
    )


class UploadForm(FlaskForm):
    file = FileField(
        "CSV file of connections",
        validators=[FileRequired("Choose a CSV file to upload.")],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[InputRequired(), Length(max=MAX_LENGTH)]
    )


class ActionForm(FlaskForm):
    """A bare form: a button that posts (log out, revoke), with its CSRF token."""
