"""Why a backup or a restore was refused: stable codes, messages in zh and en."""

from __future__ import annotations

from backend.shared.errors import define

STATION_RUNNING = define(
    "backup.station_running", 409,
    "服务站程序正在运行，不能恢复数据。请先停止它（kiosk up / systemctl stop）。",
    "The station is running on this data folder; stop it first (kiosk up / systemctl stop), then restore.")
UNREADABLE = define(
    "backup.unreadable", 422, "无法读取备份文件（文件损坏或不完整）。",
    "The backup file cannot be read (damaged or incomplete).")
FOREIGN = define(
    "backup.foreign", 422, "这不是服务站的备份文件。",
    "This is not a station backup file.")
CORRUPT = define(
    "backup.corrupt", 422, "备份文件内容校验失败（已损坏或被改动），不能恢复。",
    "The backup's contents do not match their checksums (damaged or altered); nothing was restored.")
WRONG_STATION = define(
    "backup.wrong_station", 409, "备份属于另一台服务站，不能恢复到这个数据目录。",
    "The backup belongs to another station; it cannot be restored into this data folder.")
PASSPHRASE_REQUIRED = define(
    "backup.passphrase_required", 422, "备份或恢复签名密钥需要口令。",
    "Backing up or restoring the signing keys needs a passphrase.")
PASSPHRASE_WRONG = define(
    "backup.passphrase_wrong", 422, "口令不正确，无法解开备份中的密钥。",
    "The passphrase is wrong: the keys in the backup cannot be opened.")
INTEGRITY = define(
    "backup.integrity_failed", 500, "数据库完整性检查未通过，未生成备份。",
    "The database failed its integrity check; no backup was written.")
NO_DATABASE = define(
    "backup.no_database", 404, "这个数据目录里没有服务站数据库。",
    "There is no station database in this data folder.")
