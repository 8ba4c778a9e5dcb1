"""Uploads within bounds (issue 11, finding 7): a decompression bomb (a 7000×7000 PNG of one colour, a few
hundred KB, 49 MP) is refused by its header before anything is decoded, a phone's normal photo (12 MP) is
accepted, and the record page caps photos at the API's number (one constant)."""
from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anquan.core.errors import Invalid
from anquan.core.uploads import MAX_PHOTOS_PER_UPLOAD, MAX_PIXELS, check_image
from anquan.hazards.api_schemas import MAX_PHOTOS
from anquan.hazards.models import Hazard

from .matrix_world import png
from .test_api_robustness import signed_in  # noqa: F401  (fixture)


def _image(size, fmt: str, mode: str = "1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, fmt)
    return out.getvalue()


def test_a_49_megapixel_png_bomb_is_refused_in_chinese():
    bomb = _image((7000, 7000), "PNG")
    assert len(bomb) < 1024 * 1024  # small on the wire, 196 MB once decoded
    with pytest.raises(Invalid) as refused:
        check_image(bomb)
    assert refused.value.errors == {"photos": ["照片像素过大（7000×7000），单张不能超过2500万像素，请用相机的常规模式拍摄，或缩小后再上传"]}


def test_a_phone_photo_of_12_megapixels_is_accepted():
    photo = check_image(_image((4032, 3024), "JPEG", "RGB"))
    assert photo.content_type == "image/jpeg"
    assert 4032 * 3024 < MAX_PIXELS < 7000 * 7000


def test_the_page_and_the_api_share_one_cap():
    assert MAX_PHOTOS == MAX_PHOTOS_PER_UPLOAD == 9


@pytest.mark.django_db
def test_the_record_page_refuses_twelve_photos(signed_in):
    client, ids = signed_in
    before = Hazard.objects.count()
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    photos = [SimpleUploadedFile(f"p{i}.png", png(), content_type="image/png") for i in range(12)]
    r = client.post(f"/hazards/new/?site={ids['site_id']}", {
        "site": ids["site_id"], "description": "十二张照片", "source": "territorial", "level": "general",
        "deadline": deadline, "photos": photos,
    })
    assert r.status_code == 422
    assert "每次最多上传9张照片（选了12张）" in r.content.decode()
    assert Hazard.objects.count() == before
    nine = [SimpleUploadedFile(f"p{i}.png", png(), content_type="image/png") for i in range(9)]
    r = client.post(f"/hazards/new/?site={ids['site_id']}", {
        "site": ids["site_id"], "description": "九张照片", "source": "territorial", "level": "general",
        "deadline": deadline, "photos": nine,
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Hazard.objects.get(description="九张照片").photos.count() == 9


@pytest.mark.django_db
def test_a_page_action_refuses_twelve_photos(signed_in):
    _, ids = signed_in
    hazard = Hazard.objects.get(pk=ids["hazard_id"])
    photos = [SimpleUploadedFile(f"p{i}.png", png(), content_type="image/png") for i in range(12)]
    from anquan.hazards import views_actions

    request = type("R", (), {"FILES": type("F", (), {"getlist": staticmethod(lambda field: photos)})()})()
    with pytest.raises(Invalid) as refused:
        views_actions._photos(request, "after_photos")
    assert refused.value.errors == {"after_photos": ["每次最多上传9张照片（选了12张），请删减后重新提交"]}
    assert hazard.photos.count() == 1
