"""The demo's 公文签发 (``load_demo --inspections``, as ``make demo`` runs it): 街道甲's staff (jiedao_a)
drafts the street's 通报 and its leader (lingdao) reviews and signs them — one signed last week (numbered),
one he sent back that jiedao_a revised, and one waiting for his 核稿 today, so lingdao's 公文签发 screen and
workbench have work — all through the sign-off services, at past moments.
"""
from __future__ import annotations

import datetime

from anquan.documents.services import drafts
from anquan.documents.services import signoff as signoffs
from anquan.rules.calendar import SHANGHAI

from .inspections import at_moment


def _moment(as_of: datetime.date, days_ago: int, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(as_of - datetime.timedelta(days=days_ago), datetime.time(hour), tzinfo=SHANGHAI)


def build_signoffs(demo, *, as_of: datetime.date) -> dict[str, int]:
    """Three drafts of 街道甲 (the caller holds the transaction)."""
    u = demo.users
    drafter, leader = u["jiedao_a"], u["lingdao"]
    with at_moment(_moment(as_of, 9, 10)):
        signed = drafts.draft_create(actor=drafter, title="关于开展出租房电动车充电隐患专项排查的通报", recipients="各社区",
                                     paragraphs=["区安委会第一督查组指出，辖区出租房电动车违规充电未纳入排查台账。",
                                                 "请各社区于本月底前逐户排查，建立台账，发现隐患当场督促整改。"])
    with at_moment(_moment(as_of, 8, 15)):
        so = drafts.signoff_of(signed)
        signoffs.signoff_review(actor=leader, signoff=so, version=so.version, opinion="文字已核")
        signoffs.signoff_sign(actor=leader, signoff=so, version=so.version, opinion="同意")
    with at_moment(_moment(as_of, 4, 9)):
        revised = drafts.draft_create(actor=drafter, title="关于冬季燃气安全检查情况的通报", recipients="各社区、辖区餐饮企业",
                                      paragraphs=["近期街道对辖区餐饮场所燃气使用情况进行了检查。"])
    with at_moment(_moment(as_of, 3, 16)):
        so = drafts.signoff_of(revised)
        signoffs.signoff_return(actor=leader, signoff=so, version=so.version, opinion="请写明检查家数和发现的问题")
    with at_moment(_moment(as_of, 2, 10)):
        revised.refresh_from_db()
        drafts.draft_revise(actor=drafter, draft=revised, version=revised.version, title=revised.title,
                            recipients=revised.recipients,
                            paragraphs=["近期街道对辖区42家餐饮场所燃气使用情况进行了检查，发现隐患11处，已当场整改9处。",
                                        "请各社区督促未整改的2处在期限内整改完毕。"], opinion="已补充检查家数和问题")
    with at_moment(_moment(as_of, 1, 17)):
        drafts.draft_create(actor=drafter, title="关于做好元旦期间安全生产工作的通报", recipients="各社区、辖区企业",
                            paragraphs=["元旦将至，请各社区和企业落实值班值守，开展节前安全检查。"])
    return {"公文稿": 3}
