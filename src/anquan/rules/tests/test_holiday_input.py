"""Holiday schedules from CSV (by content, row-numbered Chinese errors, nothing written on errors), through the
page and the management command."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from anquan.audit.models import AuditEvent
from anquan.core.errors import Invalid
from anquan.rules import calendar, holiday_csv
from anquan.rules.models import HolidayDay, HolidayYear

from .helpers import d

GOOD = "日期,是否上班,名称\n2027-01-01,否,元旦\n2027/2/6,放假,春节\n2027年2月20日,上班,春节调休上班\n\n"


class TestParse:
    def test_header_formats_and_blank_lines(self):
        assert holiday_csv.parse(GOOD.encode(), 2027) == [
            (d("2027-01-01"), False, "元旦"), (d("2027-02-06"), False, "春节"), (d("2027-02-20"), True, "春节调休上班"),
        ]

    def test_gbk_from_excel_and_bom(self):
        assert len(holiday_csv.parse(GOOD.encode("gbk"), 2027)) == 3
        assert len(holiday_csv.parse(b"\xef\xbb\xbf" + GOOD.encode(), 2027)) == 3

    def test_without_header_and_trailing_empty_columns(self):
        assert holiday_csv.parse("2027-01-01,0,元旦,,\n", 2027) == [(d("2027-01-01"), False, "元旦")]

    def test_every_bad_row_reported_with_its_line_number(self):
        text = ("date,is_workday,name\n"
                "2027-01-01,否,元旦\n"
                "2027-02-30,否,春节\n"       # line 3: no such date
                "2026-12-31,否,元旦\n"       # line 4: wrong year
                "2027-01-01,否,元旦\n"       # line 5: duplicate of line 2
                "2027-02-07,也许,春节\n"     # line 6: bad flag
                "2027-02-08,否,\n"           # line 7: no name
                "2027-02-09,否\n")           # line 8: two columns
        with pytest.raises(Invalid) as exc:
            holiday_csv.parse(text.encode(), 2027)
        errors = exc.value.errors["file"]
        assert [e.split("：")[0] for e in errors] == [f"第{n}行" for n in range(3, 9)]
        assert "2027-02-30" in errors[0] and "不在2027年内" in errors[1] and "与第2行重复" in errors[2]
        assert "是/否" in errors[3] and "名称必填" in errors[4] and "3列" in errors[5]

    @pytest.mark.parametrize(("content", "message"), [
        (b"PK\x03\x04" + b"\x00" * 20, "Excel"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 20, "Excel"),
        (b"", "没有数据行"),
        ("日期,是否上班,名称\n".encode(), "没有数据行"),
        (b"x" * (holiday_csv.MAX_BYTES + 1), "文件过大"),
    ])
    def test_not_a_schedule(self, content, message):
        with pytest.raises(Invalid) as exc:
            holiday_csv.parse(content, 2027)
        assert message in exc.value.errors["file"][0]


@pytest.mark.django_db
class TestPage:
    def _post(self, client, **data):
        payload = {"year": "2027", "source_document": "国务院办公厅关于2027年部分节假日安排的通知（测试）", **data}
        return client.post("/rules/holidays/", payload)

    def test_forbidden_without_rules_manage(self, client_for, street_user):
        client = client_for(street_user)
        assert client.get("/rules/holidays/").status_code == 403
        upload = SimpleUploadedFile("h.csv", GOOD.encode(), content_type="text/csv")
        assert self._post(client, file=upload).status_code == 403
        assert not HolidayDay.objects.exists()

    def test_upload_with_errors_writes_nothing(self, client_for, admin):
        bad = GOOD + "2027-13-01,否,春节\n"
        response = self._post(client_for(admin), file=SimpleUploadedFile("h.csv", bad.encode(), content_type="text/csv"))
        assert response.status_code == 200
        assert "第6行：日期“2027-13-01”无效" in response.content.decode()
        assert not HolidayDay.objects.exists() and not HolidayYear.objects.exists() and not AuditEvent.objects.exists()

    def test_file_name_does_not_matter_content_does(self, client_for, admin):
        fake = SimpleUploadedFile("h.csv", b"PK\x03\x04" + b"\x00" * 100, content_type="text/csv")
        response = self._post(client_for(admin), file=fake)
        assert "另存为" in response.content.decode() and not HolidayDay.objects.exists()
        real = SimpleUploadedFile("schedule.txt", GOOD.encode("gbk"), content_type="application/octet-stream")
        assert self._post(client_for(admin), file=real).status_code == 302
        assert HolidayDay.objects.count() == 3

    def test_upload_then_the_year_is_known(self, client_for, admin):
        assert not calendar.year_known(2027)
        upload = SimpleUploadedFile("h.csv", GOOD.encode(), content_type="text/csv")
        response = self._post(client_for(admin), file=upload)
        assert response.status_code == 302
        assert calendar.year_known(2027) and not calendar.is_workday(d("2027-01-01"))
        page = client_for(admin).get("/rules/holidays/").content.decode()
        assert "国务院办公厅关于2027年部分节假日安排的通知（测试）" in page and "春节调休上班" in page

    def test_typed_lines(self, client_for, admin):
        response = self._post(client_for(admin), text="2027-01-01,否,元旦")
        assert response.status_code == 302 and HolidayDay.objects.get().name == "元旦"

    def test_file_or_text_required_and_not_both(self, client_for, admin):
        assert "二者选一" in self._post(client_for(admin)).content.decode()
        upload = SimpleUploadedFile("h.csv", GOOD.encode(), content_type="text/csv")
        assert "二者选一" in self._post(client_for(admin), file=upload, text="2027-01-01,否,元旦").content.decode()
        assert not HolidayDay.objects.exists()


@pytest.mark.django_db
class TestCommand:
    def test_loads_a_year(self, admin, tmp_path, capsys):
        path = tmp_path / "2027.csv"
        path.write_bytes(GOOD.encode())
        call_command("load_holidays", "2027", str(path), "--user", admin.username, "--source", "测试通知")
        assert HolidayYear.objects.get(year=2027).entered_by == admin
        assert "放假2天，调休上班1天" in capsys.readouterr().out

    def test_errors_write_nothing(self, admin, tmp_path):
        path = tmp_path / "2027.csv"
        path.write_bytes((GOOD + "2027-02-31,否,春节\n").encode())
        with pytest.raises(CommandError, match="第6行"):
            call_command("load_holidays", "2027", str(path), "--user", admin.username, "--source", "测试通知")
        assert not HolidayDay.objects.exists()

    def test_needs_a_permitted_user(self, street_user, tmp_path):
        path = tmp_path / "2027.csv"
        path.write_bytes(GOOD.encode())
        with pytest.raises(CommandError, match="系统管理员"):
            call_command("load_holidays", "2027", str(path), "--user", street_user.username, "--source", "x")
        with pytest.raises(CommandError, match="不存在"):
            call_command("load_holidays", "2027", str(path), "--user", "nobody", "--source", "x")
        assert not HolidayDay.objects.exists()
