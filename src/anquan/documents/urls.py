"""Pages of official documents (公文)."""
from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list_view, name="list"),
    path("new/circular/", views.circular_new, name="circular"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/void/", views.document_void_view, name="void"),
    path("issue/<str:kind>/<str:about>/<int:pk>/", views.document_issue, name="issue"),
    path("signoffs/", views.signoff_list, name="signoffs"),
    path("signoffs/<int:pk>/", views.signoff_detail, name="signoff"),
    path("signoffs/<int:pk>/<str:verb>/", views.signoff_act, name="signoff_act"),
]
