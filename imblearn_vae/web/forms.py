"""The site's fixed forms (the prediction form is built from the model's schema)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

#: No control characters and no surrounding spaces; anything else is allowed
#: (and rendered escaped).
USERNAME_PATTERN = r"^\S(?:[^\x00-\x1f\x7f]*\S)?$"


class SignupForm(FlaskForm):
    username = StringField(
        "User name",
        validators=[
            InputRequired(),
            Length(min=3, max=64),
            Regexp(USERNAME_PATTERN, message="No control characters or outer spaces."),
        ],
    )
    password = PasswordField(
        "Password", validators=[InputRequired(), Length(min=10, max=200)]
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[InputRequired(), EqualTo("password", "The passwords differ.")],
    )


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])


class TokenForm(FlaskForm):
    name = StringField(
        "Name of the token", validators=[InputRequired(), Length(min=1, max=64)]
    )


class UploadForm(FlaskForm):
    file = FileField("CSV file of connections", validators=[FileRequired()])


class ActionForm(FlaskForm):
    """A bare form: a button that posts (log out, revoke), with its CSRF token."""
