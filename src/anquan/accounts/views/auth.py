"""Sign-in and sign-out pages, and changing one's own password."""
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from ..services import SignInRefused, sign_in


@never_cache
@csrf_protect
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error, username = "", ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        try:
            user = sign_in(request, username, request.POST.get("password", ""))
        except SignInRefused as refused:
            error = refused.message
        else:
            login(request, user, backend="anquan.accounts.backends.AnquanBackend")  # rotates the session id
            if user.must_change_password:  # a temporary password from the administrator: change it first
                return redirect(f"/password/?{urlencode({'next': next_url})}")
            return redirect(next_url)
    status = 200 if not error else 401
    return render(request, "accounts/login.html", {"error": error, "username": username, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@never_cache
@login_required
def password_change(request):
    """One's own new password; the page every sign-in with a temporary password leads to."""
    from anquan.core.errors import Invalid
    from anquan.core.views import apply_errors, bootstrapify

    from .. import services
    from ..forms import PasswordChangeForm

    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
        except Invalid as exc:
            form = apply_errors(PasswordChangeForm(request.POST), exc.errors)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect(_safe_next(request))
    return render(request, "accounts/password_change.html", {
        "form": bootstrapify(form), "next": _safe_next(request), "forced": request.user.must_change_password,
    }, status=422 if request.method == "POST" else 200)


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    return next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) else "/"
