"""Pinyin → candidates on the shipped dictionary, and the composer the keyboard drives."""

from __future__ import annotations

import pytest

from kiosk.textentry.composer import Composer
from kiosk.textentry.pinyin import PinyinEngine, engine


@pytest.fixture(scope="module")
def pinyin() -> PinyinEngine:
    return engine()


def texts(pinyin: PinyinEngine, letters: str, n: int = 8) -> list[str]:
    return [c.text for c in pinyin.candidates(letters)[:n]]


def test_the_dictionary_holds_thousands_of_characters_and_hundreds_of_words(pinyin: PinyinEngine) -> None:
    chars = {c for s in pinyin.syllables for c in texts(pinyin, s, 1000) if len(c) == 1}
    assert len(chars) >= 3500
    assert len(pinyin.syllables) >= 380  # nearly every Mandarin syllable


@pytest.mark.parametrize(("letters", "first"), [
    ("shi", "是"), ("de", "的"), ("ni", "你"), ("xian", "先"),  # the usual reading wins
    ("zhongguo", "中国"), ("shequ", "社区"), ("ludeng", "路灯"), ("wuye", "物业"),
    ("lv", "率"),  # ü is typed v
])
def test_the_most_likely_candidate_comes_first(pinyin: PinyinEngine, letters: str, first: str) -> None:
    assert texts(pinyin, letters)[0] == first


@pytest.mark.parametrize(("letters", "syllables"), [
    ("xian", ["xian"]),  # one syllable, not xi + an
    ("xianzai", ["xian", "zai"]),
    ("zhongg", ["zhong", "g"]),  # the last syllable may be unfinished
    ("LOUSHANG", ["lou", "shang"]),
    ("qwx", []),
    ("", []),
])
def test_letters_split_into_the_fewest_syllables(pinyin: PinyinEngine, letters: str,
                                                 syllables: list[str]) -> None:
    assert pinyin.segment(letters) == syllables


def test_an_unfinished_syllable_already_offers_words_and_characters(pinyin: PinyinEngine) -> None:
    assert "漏水" in texts(pinyin, "lous", 20)
    assert texts(pinyin, "zh", 40)  # characters of zhong, zhe, zhi…


def test_polyphonic_characters_are_found_under_each_reading(pinyin: PinyinEngine) -> None:
    assert "行" in texts(pinyin, "xing", 30) and "行" in texts(pinyin, "hang", 30)
    assert texts(pinyin, "yinhang")[0] == "银行"


def test_the_composer_types_a_sentence_word_by_word(pinyin: PinyinEngine) -> None:
    composer = Composer(pinyin)
    for letter in "xiaoqulu":
        composer.key(letter)
    assert composer.letters == "xiaoqulu"
    composer.choose(0)  # 小区 takes two syllables and leaves "lu"
    assert composer.text == "小区" and composer.letters == "lu"
    composer.backspace()
    composer.key("u")
    for letter in "deng":
        composer.key(letter)
    composer.space()  # the first candidate: 路灯
    composer.key("，")
    assert composer.text == "小区路灯，"
    composer.backspace()
    assert composer.text == "小区路灯"


def test_candidates_come_a_page_at_a_time(pinyin: PinyinEngine) -> None:
    composer = Composer(pinyin, page_size=6)
    composer.key("j")
    first = [c.text for c in composer.page_of_candidates()]
    composer.next_page()
    second = [c.text for c in composer.page_of_candidates()]
    assert len(first) == 6 and len(second) == 6 and not set(first) & set(second)
    composer.choose(1)
    assert composer.text == second[1] and composer.page == 0
    composer.previous_page()
    assert composer.page == 0


def test_the_english_keyboard_types_letters_as_they_are(pinyin: PinyinEngine) -> None:
    composer = Composer(max_length=8)
    composer.shift()
    composer.key("r")
    composer.shift()
    for char in "oom 302 and more":
        composer.key(char) if char != " " else composer.space()
    assert composer.text == "Room 302"  # cut at the field's length
    assert not composer.candidates()
