"""Code tables stored on the resident ID card: sex (GB/T 2261.1), ethnicity (GB 3304)."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    """Sex code as stored in the card's text block (one UCS-2 character)."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"

    def label(self, lang: str = "zh") -> str:
        """Return the label a resident reads, in zh or en."""
        return _SEX_LABELS[self][0 if lang == "zh" else 1]


_SEX_LABELS: dict[Sex, tuple[str, str]] = {
    Sex.UNKNOWN: ("未知", "unknown"),
    Sex.MALE: ("男", "male"),
    Sex.FEMALE: ("女", "female"),
    Sex.UNSPECIFIED: ("未说明", "unspecified"),
}


def sex_from_label(label: str) -> Sex:
    """Return the sex whose zh or en label (or code) is given, e.g. "男" -> Sex.MALE."""
    text = label.strip().lower()
    for sex, (zh, en) in _SEX_LABELS.items():
        if text in (zh, en, sex.value):
            return sex
    raise ValueError(f"unknown sex label {label!r}")


# GB 3304 codes with the short zh form printed on the card (民族 汉) and the en name.
ETHNICITIES: dict[str, tuple[str, str]] = {
    "01": ("汉", "Han"), "02": ("蒙古", "Mongol"), "03": ("回", "Hui"),
    "04": ("藏", "Tibetan"), "05": ("维吾尔", "Uyghur"), "06": ("苗", "Miao"),
    "07": ("彝", "Yi"), "08": ("壮", "Zhuang"), "09": ("布依", "Buyei"),
    "10": ("朝鲜", "Korean"), "11": ("满", "Manchu"), "12": ("侗", "Dong"),
    "13": ("瑶", "Yao"), "14": ("白", "Bai"), "15": ("土家", "Tujia"),
    "16": ("哈尼", "Hani"), "17": ("哈萨克", "Kazak"), "18": ("傣", "Dai"),
    "19": ("黎", "Li"), "20": ("傈僳", "Lisu"), "21": ("佤", "Va"),
    "22": ("畲", "She"), "23": ("高山", "Gaoshan"), "24": ("拉祜", "Lahu"),
    "25": ("水", "Sui"), "26": ("东乡", "Dongxiang"), "27": ("纳西", "Naxi"),
    "28": ("景颇", "Jingpo"), "29": ("柯尔克孜", "Kirgiz"), "30": ("土", "Tu"),
    "31": ("达斡尔", "Daur"), "32": ("仫佬", "Mulao"), "33": ("羌", "Qiang"),
    "34": ("布朗", "Blang"), "35": ("撒拉", "Salar"), "36": ("毛南", "Maonan"),
    "37": ("仡佬", "Gelao"), "38": ("锡伯", "Xibe"), "39": ("阿昌", "Achang"),
    "40": ("普米", "Pumi"), "41": ("塔吉克", "Tajik"), "42": ("怒", "Nu"),
    "43": ("乌孜别克", "Uzbek"), "44": ("俄罗斯", "Russian"), "45": ("鄂温克", "Ewenki"),
    "46": ("德昂", "Deang"), "47": ("保安", "Bonan"), "48": ("裕固", "Yugur"),
    "49": ("京", "Gin"), "50": ("塔塔尔", "Tatar"), "51": ("独龙", "Derung"),
    "52": ("鄂伦春", "Oroqen"), "53": ("赫哲", "Hezhen"), "54": ("门巴", "Monba"),
    "55": ("珞巴", "Lhoba"), "56": ("基诺", "Jino"),
    "97": ("其他", "Other"),
    "98": ("外国血统中国籍人士", "Chinese citizen of foreign origin"),
}


def ethnicity_label(code: str, lang: str = "zh") -> str:
    """Return the label of an ethnicity code ("01" -> "汉"), or "" for an unknown or blank code."""
    labels = ETHNICITIES.get(code.strip())
    if labels is None:
        return ""
    return labels[0 if lang == "zh" else 1]
