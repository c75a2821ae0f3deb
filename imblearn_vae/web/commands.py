"""The operators' commands behind ``imblearn-vae user / token / db``.

They need the database only: the application is built without its model.
"""

import secrets

from .accounts import (
    OperatorError,
    create_token,
    create_user,
    list_tokens,
    reset_password,
    revoke_token,
)
from .app import create_app
from .database import (
    DatabaseNotReady,
    DatabaseUnreachable,
    check_database,
    upgrade_database,
)

#: What the commands refuse with a message (exit status 2), not a traceback.
REFUSALS = (OperatorError, DatabaseNotReady, DatabaseUnreachable)


def operate(args, read_password) -> int:
    """Carry out one command; ``read_password()`` asks for a password."""
    config = {
        "DATA_DIR": args.data_dir,
        "DATABASE_URL": args.database_url,
        # these commands sign no cookie: a throw-away key will do
        "SECRET_KEY": secrets.token_hex(32),
    }
    app = create_app(config, with_model=False)
    if args.command == "db":
        before, after = upgrade_database(app)
        print(f"database at revision {after} (was {before or 'empty'})")
        return 0
    check_database(app)
    if args.command == "user" and args.action == "create":
        create_user(app, args.username, read_password(args))
        print(f"created user {args.username!r}")
    elif args.command == "user":
        ended, revoked = reset_password(
            app, args.username, read_password(args), keep_tokens=args.keep_tokens
        )
        print(
            f"new password set for {args.username!r}; {ended} session(s) ended, "
            f"{revoked} API token(s) revoked"
        )
    elif args.action == "create":
        print(create_token(app, args.username, args.name))
    elif args.action == "list":
        for prefix, name, active in list_tokens(app, args.username):
            print(f"{prefix}\t{name}\t{'active' if active else 'revoked'}")
    else:
        print(f"revoked {revoke_token(app, args.prefix)}")
    return 0
