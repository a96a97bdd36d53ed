"""Where uploaded files and report PDFs are kept, from the environment (read by ``settings.py``; no Django imports).

Without DJANGO_S3_BUCKET: the media directory on local disk (DJANGO_MEDIA_ROOT), which must be shared between
servers when there are several. With it: S3-compatible object storage through django-storages. Objects are private
and never overwritten; the portal's own views serve them after checking who may see them."""

from collections.abc import Mapping


def media_storage(env: Mapping[str, str]) -> dict:
    bucket = env.get("DJANGO_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.get("DJANGO_S3_ENDPOINT_URL") or None,  # for S3-compatible services other than AWS
            "region_name": env.get("DJANGO_S3_REGION") or None,
            "access_key": env.get("DJANGO_S3_ACCESS_KEY_ID") or None,  # else boto3's own chain (instance roles …)
            "secret_key": env.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "location": env.get("DJANGO_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
