"""The console's words for updates over the air (releases, rollouts), merged into WORDS."""

from __future__ import annotations

UPDATE_WORDS: dict[str, tuple[str, str]] = {
    "nav.updates": ("远程升级", "Updates"),
    "updates.title": ("远程升级", "Updates over the air"),
    "updates.intro": ("升级包由发布密钥在平台外签名；服务站只在本地时间窗口内、且没有居民办事时安装，"
                      "健康检查不通过会自动回退。",
                      "Bundles are signed off the platform with a release key; a station installs only "
                      "inside the local time window and never while a resident is at it, and rolls back "
                      "by itself when its health check fails."),
    "updates.versions": ("各站点版本", "Each station's version"),
    "updates.version": ("版本", "Version"),
    "updates.stations": ("站点数", "Stations"),
    "updates.releases": ("已上传的版本", "Uploaded releases"),
    "updates.upload": ("上传升级包", "Upload a release bundle"),
    "updates.bundle": ("升级包（.tar，已签名）", "Bundle (.tar, signed)"),
    "updates.size": ("大小", "Size"),
    "updates.uploaded": ("上传", "Uploaded"),
    "updates.start": ("发起升级", "Start a rollout"),
    "updates.area": ("辖区（组织代码）", "Area (organisation code)"),
    "updates.station_ids": ("或指定站点（逗号分隔）", "Or these stations (comma-separated)"),
    "updates.canary_percent": ("先行站点比例（%）", "Canary share (%)"),
    "updates.canary_stations": ("或指定先行站点（逗号分隔）", "Or these canary stations (comma-separated)"),
    "updates.window": ("本地时间窗口", "Local time window"),
    "updates.rollback": ("这是回退到旧版本", "This is a rollback to an older version"),
    "updates.rollouts": ("升级任务", "Rollouts"),
    "updates.progress": ("进度", "Progress"),
    "updates.by_area": ("按社区", "By community"),
    "updates.failures": ("失败", "Failures"),
    "updates.reason": ("原因", "Reason"),
    "updates.done": ("完成", "Done"),
    "updates.failed": ("失败", "Failed"),
    "updates.waiting": ("等待", "Waiting"),
    "updates.none": ("暂无", "None yet"),
    "updates.pause": ("暂停", "Pause"),
    "updates.resume": ("继续", "Resume"),
    "updates.abort": ("终止", "Abort"),
    "rollout.canary": ("先行站点升级中", "Canary stations updating"),
    "rollout.rolling": ("全部站点升级中", "All stations updating"),
    "rollout.paused": ("已暂停", "Paused"),
    "rollout.aborted": ("已终止", "Aborted"),
    "rollout.finished": ("已完成", "Finished"),
    "done.release_uploaded": ("升级包已上传。", "The release was uploaded."),
    "done.rollout_started": ("升级任务已发起。", "The rollout was started."),
    "done.rollout_changed": ("升级任务已更新。", "The rollout was changed."),
}
