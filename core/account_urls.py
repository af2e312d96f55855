from django.urls import path

from core import account_views as views

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", views.two_factor_verify, name="two_factor_verify"),
    path("akun/dua-faktor/", views.two_factor_setup, name="two_factor_setup"),
    path("akun/dua-faktor/hapus/", views.two_factor_remove, name="two_factor_remove"),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
