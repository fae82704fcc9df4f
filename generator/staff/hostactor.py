"""Who opened the merge request, asked of the Git host when its CI does not say.

GitLab's predefined CI variables name the user who started the pipeline (GITLAB_USER_LOGIN: whoever pushed
last or clicked "Run pipeline"), not the merge request's author, and none of them names the author. So the
check asks GitLab's API: GET /projects/:id/merge_requests/:iid -> author.username, with a read-only token
(HUIYIN_READ_TOKEN: a project access token with the Reporter role and the read_api scope) when the project
is not public. GitHub gives the author in the event itself (github.event.pull_request.user.login).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Mapping

from .gitrefs import RefError

TOKEN_VARIABLE = "HUIYIN_READ_TOKEN"


def gitlab_merge_request_author(env: Mapping[str, str] | None = None, timeout: float = 20) -> str:
    """The username of the merge request's author, from GitLab's API; RefError when it cannot be known."""
    env = os.environ if env is None else env
    api, project, iid = (env.get(k, "") for k in ("CI_API_V4_URL", "CI_MERGE_REQUEST_PROJECT_ID", "CI_MERGE_REQUEST_IID"))
    if not (api and project and iid):
        raise RefError("不在 GitLab 合并请求流水线中（缺少 CI_API_V4_URL、CI_MERGE_REQUEST_PROJECT_ID 或 CI_MERGE_REQUEST_IID），"
                       "无法确定合并请求的作者；请用 --actor 指定平台账号")
    url = f"{api.rstrip('/')}/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{urllib.parse.quote(iid)}"
    headers = {"Accept": "application/json"}
    if env.get(TOKEN_VARIABLE):
        headers["PRIVATE-TOKEN"] = env[TOKEN_VARIABLE]
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        hint = f"；非公开项目请设置 CI/CD 变量 {TOKEN_VARIABLE}（见 docs/publishing.md）" if exc.code in (401, 403, 404) else ""
        raise RefError(f"向 GitLab 查询合并请求 !{iid} 的作者失败（HTTP {exc.code}）{hint}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RefError(f"向 GitLab 查询合并请求 !{iid} 的作者失败（{type(exc).__name__}）") from None
    author = data.get("author") if isinstance(data, dict) else None
    username = author.get("username") if isinstance(author, dict) else None
    if not isinstance(username, str) or not username:
        raise RefError(f"GitLab 返回的合并请求 !{iid} 中没有作者")
    return username
