"""django-allauth's pages for two-step sign-in, where Coachloop needs more of them."""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.contrib import messages
from django.shortcuts import redirect


class RemoveKeyView(RemoveWebAuthnView):
    """Removing a passkey or security key, unless it is the only way of two-step sign-in of
    someone who must use it (allauth asks its adapter only before removing an app)."""

    def form_valid(self, form):
        adapter = get_adapter()
        if not adapter.can_delete_authenticator(self.get_object()):
            messages.error(self.request, adapter.error_messages["cannot_delete_authenticator"])
            return redirect("mfa_list_webauthn")
        return super().form_valid(form)


remove_key = RemoveKeyView.as_view()
