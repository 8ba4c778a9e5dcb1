"""Pages of the accounts app: signing in and out, one's own password (``auth``), and the system
administrator's console for accounts, people and role assignments (``console``)."""
from .auth import login_view, logout_view, password_change

__all__ = ["login_view", "logout_view", "password_change"]
