"""The user's own account: 密码修改 (every signed-in user; forced after a reset or expiry)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jixiao.core.refusals import form_refusals
from jixiao.org.middleware import MUST_CHANGE_KEY
from jixiao.org.services import password_change

HELP = "至少 8 个字符（管理员 12 个），包含大写字母、小写字母、数字、符号中的至少三类，不含用户名，不是常见密码。"


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码",
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=HELP)
    new_password2 = forms.CharField(label="再次输入新密码",
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


@login_required
def password(request: HttpRequest) -> HttpResponse:
    forced = bool(request.session.get(MUST_CHANGE_KEY))
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        with form_refusals(form) as outcome:
            password_change(actor=user, user=user,  # type: ignore[arg-type]
                            old_password=form.cleaned_data["old_password"],
                            new_password=form.cleaned_data["new_password1"])
        if outcome.ok:
            update_session_auth_hash(request, user)  # type: ignore[arg-type]
            request.session.pop(MUST_CHANGE_KEY, None)
            request.session.cycle_key()
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "org/password.html", {"form": form, "forced": forced})
