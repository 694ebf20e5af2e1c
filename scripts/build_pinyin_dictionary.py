"""Build the on-screen pinyin keyboard's dictionary: assets/pinyin/{chars,words}.tsv.

Run by hand (not at install time) in a throwaway virtual environment:

    python3 -m venv /tmp/pinyin-gen
    /tmp/pinyin-gen/bin/pip install jieba==0.42.1 pypinyin==0.55.0
    /tmp/pinyin-gen/bin/python scripts/build_pinyin_dictionary.py

Sources (both MIT-licensed, see assets/pinyin/README.md):
- jieba's dict.txt: word frequencies counted over a large corpus of modern Chinese text; the most
  frequent single characters and words are kept, restricted to GB 2312 (the 6,763 characters of
  the national standard for Simplified Chinese, so no traditional or rare forms);
- pypinyin: the readings of each character (every reading of a polyphonic character) and the
  reading of each word in context from its phrase table (行 is hang in 银行, xing in 行人).
Plus a short hand-made list of words residents need for requests and complaints (community
service vocabulary), ranked after the corpus words of the same reading.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jieba
from pypinyin import Style, lazy_pinyin, pinyin

OUT = Path(__file__).resolve().parents[1] / "assets" / "pinyin"
CHARS = 4000
WORDS = 1200

# Words a resident is likely to write at the kiosk (requests, complaints, addresses).
COMMUNITY_WORDS = tuple(word for word in """
社区 小区 物业 业主 居委会 街道 网格员 楼道 楼栋 单元 电梯 停车 车位 充电桩 路灯 漏水 停水 停电
噪音 扰民 垃圾 分类 清运 绿化 树木 占道 违建 乱停 楼上 楼下 邻居 维修 报修 投诉 建议 咨询 求助
老人 独居 残疾 低保 医保 社保 养老 户口 居住证 身份证 证明 办理 预约 排队 窗口 热线 电话 手机
下水道 堵塞 暖气 供暖 燃气 漏气 消防 通道 安全 隐患 井盖 破损 道路 积水 污水 异味 宠物 狗 猫
""".split())  # noqa: SIM905


def is_gb2312_hanzi(text: str) -> bool:
    """True if every character is a GB 2312 hanzi (no letters, digits or rare forms)."""
    try:
        encoded = text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 * len(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def corpus() -> list[tuple[str, int]]:
    """Return jieba's (word, frequency) pairs, most frequent first."""
    path = Path(jieba.__file__).parent / "dict.txt"
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        if is_gb2312_hanzi(word):
            pairs.append((word, int(freq)))
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def main() -> int:
    pairs = corpus()
    chars = [(w, f) for w, f in pairs if len(w) == 1][:CHARS]
    words = [(w, f) for w, f in pairs if 2 <= len(w) <= 4][:WORDS]
    known = {w for w, _ in words}
    floor = words[-1][1] if words else 1
    words += [(w, floor) for w in COMMUNITY_WORDS if w not in known and len(w) >= 2]
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "chars.tsv").open("w", encoding="utf-8") as out:
        out.write("# char\tfrequency\treadings, the usual one first (pinyin without tones, ü as v)\n")
        for char, freq in chars:
            readings = list(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))
            out.write(f"{char}\t{freq}\t{' '.join(readings)}\n")
    with (OUT / "words.tsv").open("w", encoding="utf-8") as out:
        out.write("# word\tfrequency\tsyllables (pinyin without tones, ü as v)\n")
        for word, freq in words:
            out.write(f"{word}\t{freq}\t{' '.join(lazy_pinyin(word, style=Style.NORMAL))}\n")
    print(f"{len(chars)} characters, {len(words)} words -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
