"""The form never saves what it should not, and never refuses what it could have made: the id of a new
record follows its name and is checked before any save (one click saves, a quick second click never
saves under "<id>-1"); text the validator refuses is refused under Save, in words; comments the form
cannot keep are said before they are lost.

Chromium with Decap's local backend, as tests/test_cms_browser.py drives it (its `editor` fixture).
"""

from __future__ import annotations

import time

import pytest
from slugify import slugify

from test_cms_browser import TIMEOUT_MS, committed, editor, git, wait_for_commit  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def branches(root) -> list[str]:
    return git(root, "branch", "--list", "cms/*", "--format=%(refname:short)").split()


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def open_form(browser, base: str, hash_: str, width: int = 1366):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.set_default_timeout(TIMEOUT_MS)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Chủ đề", exact=True).first.wait_for()
    page.goto(base + "/admin/#/collections/" + hash_)
    return page, problems


def retype(box, text: str) -> None:
    """Replace a box's text as an editor would: into the box, then the new text over the old (Decap's
    string box moves its cursor to the end as it takes the focus: a fill without the click first would
    add to the text)."""
    box.click()
    box.fill(text)


def value_is(page, selector: str, want: str) -> None:
    page.wait_for_function("([sel, want]) => (document.querySelector(sel) || {}).value === want", arg=[selector, want])


def test_a_new_records_id_follows_its_name_and_one_click_saves(browser, editor):
    root, base = editor
    page, problems = open_form(browser, base, "topics/new")
    name = page.locator("[id^=name-field-]")
    name.click()
    name.press_sequentially("Kết nạp")
    value_is(page, "[id^=id-field-]", "ket-nap")          # shown as the name is typed
    name.press_sequentially(" đảng viên")
    value_is(page, "[id^=id-field-]", "ket-nap-dang-vien")      # and follows later edits of it
    page.locator("[id^=description-field-]").fill("Quy trình kết nạp.")
    page.get_by_role("button", name="Lưu").first.click()         # once
    wait_for_commit(root, "cms/topics/ket-nap-dang-vien", "data/topics/ket-nap-dang-vien.yaml")
    assert page.locator(".hb-refused").count() == 0
    written = git(root, "show", "cms/topics/ket-nap-dang-vien:data/topics/ket-nap-dang-vien.yaml")
    assert "id: ket-nap-dang-vien\nname: Kết nạp đảng viên\n" in written

    # An id typed by hand stays as typed when the name changes; emptied, it is made from the name again.
    page.close()
    page, problems = open_form(browser, base, "topics/new")
    ident, name = page.locator("[id^=id-field-]"), page.locator("[id^=name-field-]")
    name.fill("Học tập")
    value_is(page, "[id^=id-field-]", "hoc-tap")
    retype(ident, "hoc-tap-nghi-quyet")
    retype(name, "Học tập nghị quyết")
    value_is(page, "[id^=name-field-]", "Học tập nghị quyết")
    page.get_by_text("Mã do bạn gõ").wait_for()
    assert ident.input_value() == "hoc-tap-nghi-quyet"
    retype(ident, "")
    value_is(page, "[id^=id-field-]", "hoc-tap-nghi-quyet")
    retype(name, "Học tập nghị quyết mới")
    value_is(page, "[id^=id-field-]", "hoc-tap-nghi-quyet-moi")
    assert problems == []
    page.close()


def test_a_quick_second_click_never_saves_a_taken_id_under_another_file_name(browser, editor):
    root, base = editor
    page, problems = open_form(browser, base, "topics/new")
    page.locator("[id^=name-field-]").fill("Sinh hoạt chi bộ")       # the fixture's topic has this id
    page.locator("[id^=description-field-]").fill("Trùng mã.")
    # Two clicks 50 ms apart, before the check of the id could answer.
    page.evaluate("""() => { const save = [...document.querySelectorAll('button')]
                                 .find(b => b.textContent.trim() === 'Lưu');
                             save.click(); setTimeout(() => save.click(), 50); }""")
    notice = page.locator(".hb-refused[role=alert]")
    notice.wait_for()
    assert "Đã có chủ đề mang mã “sinh-hoat-chi-bo”" in notice.inner_text()
    # Another name: saved under its own id, and nothing was saved under the taken one meanwhile.
    retype(page.locator("[id^=name-field-]"), "Sinh hoạt chi bộ định kỳ")
    page.get_by_role("button", name="Lưu").first.click()
    wait_for_commit(root, "cms/topics/sinh-hoat-chi-bo-dinh-ky", "data/topics/sinh-hoat-chi-bo-dinh-ky.yaml")
    assert branches(root) == ["cms/topics/sinh-hoat-chi-bo-dinh-ky"]
    assert problems == []
    page.close()


@pytest.mark.parametrize("typed, said", [
    ("   ", "chỉ có khoảng trắng"),
    ("Sinh\u200bhoạt", "U+200B ở cột 5"),
    ("Chi bộ \u202etốt", "U+202E ở cột 8"),
])
def test_text_the_validator_refuses_is_refused_under_save(browser, editor, typed, said):
    root, base = editor
    page, problems = open_form(browser, base, "topics/new", width=390)
    page.locator("[id^=name-field-]").fill("Chủ đề thử")
    description = page.locator("[id^=description-field-]")
    description.fill(typed)
    page.evaluate("window.scrollTo(0, 0)")
    save = page.get_by_role("button", name="Lưu").first
    save.click()
    notice = page.locator(".hb-refused[role=alert]")
    notice.wait_for()
    assert said in notice.inner_text()
    page.wait_for_function("document.activeElement && document.activeElement.id.startsWith('description-field-')")
    assert notice.bounding_box()["y"] >= save.bounding_box()["y"] + save.bounding_box()["height"] - 1
    retype(description, "Giới thiệu.")
    save.click()
    wait_for_commit(root, "cms/topics/chu-de-thu", "data/topics/chu-de-thu.yaml")
    if typed == "   ":       # the review board at 360 px: its column names stay in their columns
        page.close()
        page, problems = open_form(browser, base, "topics", width=360)
        page.goto(base + "/admin/#/workflow")
        headers = page.locator("h2[class*=ColumnHeader]")
        page.get_by_text("Chủ đề thử").first.wait_for(state="attached")
        boxes = [h.bounding_box() for h in headers.all() if h.is_visible()]
        assert len(boxes) == 3
        for left, right in zip(boxes, boxes[1:]):
            assert left["x"] + left["width"] <= right["x"] + 1, boxes
        for header in headers.all():
            assert header.evaluate("h => h.scrollWidth <= h.clientWidth + 1"), header.inner_text()
    assert problems == []
    page.close()


def test_comments_the_form_cannot_keep_are_said_before_saving(browser, editor):
    root, base = editor
    path = root / "data" / "topics" / "ghi-chu.yaml"
    path.write_text("# Chủ đề — Ghi chú\nid: ghi-chu\nname: Ghi chú  # tên tạm\n# TODO: thêm giới thiệu\n",
                    encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Ghi chú")
    page, problems = open_form(browser, base, "topics/entries/ghi-chu")
    name = page.locator("[id^=name-field-]")
    value_is(page, "[id^=name-field-]", "Ghi chú")
    retype(name, "Ghi chú mới")
    save = page.get_by_role("button", name="Lưu").first
    save.click()
    notice = page.locator(".hb-refused[role=alert]")
    notice.wait_for()
    text = notice.inner_text()
    assert "dòng 3: # tên tạm" in text and "dòng 4: # TODO: thêm giới thiệu" in text and "Bấm Lưu lần nữa" in text
    assert not committed(root, "cms/topics/ghi-chu", "data/topics/ghi-chu.yaml")
    save.click()        # told, the editor saves anyway
    wait_for_commit(root, "cms/topics/ghi-chu", "data/topics/ghi-chu.yaml")
    assert problems == []
    page.close()
