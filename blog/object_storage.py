"""Uploaded media in an S3-compatible bucket (django-storages), for when
INKWELL_MEDIA_STORAGE is s3 (config.media_storage reads the rest).

Each object is stored with the headers the site's own media would get (blog
media_files): its type decided by its extension, never guessed from its
content, and anything but an accepted image as a download. The bucket serves
them as stored.
"""

from storages.backends.s3 import S3Storage

from blog.media_files import content_disposition, media_type


class MediaObjectStorage(S3Storage):
    # The URL of an image is written into the post's Markdown, so it must
    # not expire as a signed URL does: the bucket (or the CDN in front of
    # it) lets anyone read.
    querystring_auth = False
    # Never replace another file of the same name: a fresh name is chosen,
    # as on local disk.
    file_overwrite = False

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        content_type = media_type(name)
        parameters["ContentType"] = content_type
        disposition = content_disposition(name, content_type)
        if disposition:
            parameters["ContentDisposition"] = disposition
        return parameters
