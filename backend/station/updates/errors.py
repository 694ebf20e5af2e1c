"""Why an update did not happen or was undone (refusals of the bundle itself are release.*)."""

from __future__ import annotations

from backend.shared.errors import define

DOWNLOAD_FAILED = define("update.download_failed", 502, "升级包下载失败，稍后重试。",
                         "The release could not be downloaded; it will be retried.")
INSTALL_FAILED = define("update.install_failed", 500, "升级包安装失败，仍运行当前版本。",
                        "The release could not be installed; the current one keeps running.")
HEALTH_FAILED = define("update.health_failed", 500, "新版本健康检查未通过，已自动回退。",
                       "The new release failed its health check and was rolled back.")
CRASH_LOOP = define("update.crash_loop", 500, "新版本反复崩溃，已自动回退。",
                    "The new release crashed repeatedly and was rolled back.")
