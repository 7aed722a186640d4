from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Minutes Archive administration")
admin.site.site_title = _("Minutes Archive")
admin.site.index_title = _("Clerk's desk")

# Errors in the site's own pages, and in JSON under /api/ (minutes.errors).
handler400 = "minutes.errors.bad_request"
handler403 = "minutes.errors.permission_denied"
handler404 = "minutes.errors.page_not_found"
handler500 = "minutes.errors.server_error"

# No static() route for MEDIA_URL, even while debugging: the uploaded source files belong to
# documents, and reach a reader only through the document's download view (the one door).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("nested_admin/", include("nested_admin.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("minutes.urls")),
]
