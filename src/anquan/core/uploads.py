"""Uploaded images are accepted by their content, never by their name or declared type."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .errors import Invalid

MAX_IMAGE_BYTES = 15 * 1024 * 1024
#: Pixels of one photo (width × height), checked from the header before anything is decoded. Why 25 MP:
#: decoding costs about 4 bytes a pixel (a 25 MP photo ≈ 100 MB in the worker that prints it into a 公文
#: or converts it to PDF), and a PNG of one colour compresses 7000×7000 (49 MP, 196 MB decoded) into a few
#: hundred KB — a decompression bomb a red-team pass got accepted under the former 60 MP. A phone's normal
#: photo is 12 MP (4032×3024) and a camera's 24 MP (6000×4000): both pass; a phone's 48/50 MP mode does not.
MAX_PIXELS = 25_000_000
#: Photos in one submission, the same on the pages and in the API (a 九宫格 of a phone's picker).
MAX_PHOTOS_PER_UPLOAD = 9
TOO_MANY_PIXELS = (f"照片像素过大（{{w}}×{{h}}），单张不能超过{MAX_PIXELS // 10_000}万像素，"
                   "请用相机的常规模式拍摄，或缩小后再上传")
#: Magic bytes → (format, extension, content type).
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "png", "image/png"),
)


def check_count(files, field: str = "photos") -> list:
    """The files of one submission, at most ``MAX_PHOTOS_PER_UPLOAD``; Invalid (422) in Chinese otherwise."""
    files = list(files or [])
    if len(files) > MAX_PHOTOS_PER_UPLOAD:
        raise Invalid({field: [too_many_photos(len(files))]})
    return files


def too_many_photos(count: int) -> str:
    return f"每次最多上传{MAX_PHOTOS_PER_UPLOAD}张照片（选了{count}张），请删减后重新提交"


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
                raise Invalid({field: [TOO_MANY_PIXELS.format(w=image.width, h=image.height)]})
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid({field: ["照片文件已损坏或不是有效的图片"]}) from None
    return CheckedImage(data, kind[2], kind[3], hashlib.sha256(data).hexdigest())
