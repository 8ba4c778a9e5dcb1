"""Uploaded images are accepted by their content, never by their name or declared type."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .errors import Invalid

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 60_000_000
#: Magic bytes → (format, extension, content type).
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "png", "image/png"),
)


@dataclass
class CheckedImage:
    content: bytes
    extension: str
    content_type: str
    sha256: str


def check_image(data: bytes, field: str = "photos") -> CheckedImage:
    """A JPEG/PNG/WebP that Pillow can decode, within size limits; Invalid (422) in Chinese otherwise."""
    if not data:
        raise Invalid({field: ["照片文件为空"]})
    if len(data) > MAX_IMAGE_BYTES:
        raise Invalid({field: [f"照片不能超过{MAX_IMAGE_BYTES // 1024 // 1024} MB"]})
    kind = next((s for s in SIGNATURES if data.startswith(s[0])), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = (b"", "WEBP", "webp", "image/webp")
    if kind is None:
        raise Invalid({field: ["只能上传JPEG、PNG或WebP格式的照片"]})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != kind[1]:
                raise Invalid({field: ["照片内容与格式不符"]})
            if image.width * image.height > MAX_PIXELS:
                raise Invalid({field: ["照片像素过大"]})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid({field: ["照片文件已损坏或不是有效的图片"]}) from None
    return CheckedImage(data, kind[2], kind[3], hashlib.sha256(data).hexdigest())
