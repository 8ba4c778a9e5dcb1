"""Sign-in and sign-out pages."""
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from .services import SignInRefused, sign_in


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
            return redirect(next_url)
    status = 200 if not error else 401
    return render(request, "accounts/login.html", {"error": error, "username": username, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")
