"""Mirror site/ to an S3-compatible bucket for visitors in mainland China (Alibaba OSS, Tencent COS, …).

    python -m generator.tools.mirror site            # sync, settings from the environment (below)
    python -m generator.tools.mirror site --dry-run  # list what would change; needs no secrets

The sync is done by rclone (a maintained client that speaks S3 and knows OSS and COS), configured
only through environment variables, so no key is ever written to a file:

    MIRROR_ENDPOINT           e.g. https://oss-cn-hangzhou.aliyuncs.com or https://cos.ap-guangzhou.myqcloud.com
    MIRROR_BUCKET             the bucket's name (a CDN serves it under the mirror's domain)
    MIRROR_ACCESS_KEY_ID      key with write access to that bucket only
    MIRROR_SECRET_ACCESS_KEY
    MIRROR_PROVIDER           rclone's provider name: Alibaba (default), TencentCOS, Other, …

`--target DIR` syncs to a local folder instead (the tests do; so does a dry run without secrets,
against an empty folder, which then lists every file as to be uploaded). Files are compared by
checksum, since a fresh build gives every file a new time; removed pages are deleted after the
upload, so a visitor never meets a half-synced site. HTML is sent with a short cache time (pages
change), everything else with a day.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SECRETS = ("MIRROR_ENDPOINT", "MIRROR_BUCKET", "MIRROR_ACCESS_KEY_ID", "MIRROR_SECRET_ACCESS_KEY")
REMOTE = "MIRROR"  # rclone remote configured from RCLONE_CONFIG_MIRROR_* variables


def remote_env(env: dict[str, str]) -> dict[str, str]:
    """rclone's own variables for an S3 remote named MIRROR, from the MIRROR_* settings."""
    return {
        "RCLONE_CONFIG_MIRROR_TYPE": "s3",
        "RCLONE_CONFIG_MIRROR_PROVIDER": env.get("MIRROR_PROVIDER") or "Alibaba",
        "RCLONE_CONFIG_MIRROR_ENDPOINT": env["MIRROR_ENDPOINT"],
        "RCLONE_CONFIG_MIRROR_ACCESS_KEY_ID": env["MIRROR_ACCESS_KEY_ID"],
        "RCLONE_CONFIG_MIRROR_SECRET_ACCESS_KEY": env["MIRROR_SECRET_ACCESS_KEY"],
        "RCLONE_CONFIG_MIRROR_ACL": "public-read",
    }


def sync_commands(site: Path, dest: str, dry_run: bool) -> list[list[str]]:
    """Pages (short cache), then every other file (a day), then a sync that only deletes what the site
    no longer has: everything else already matches by checksum, so nothing is sent twice."""
    base = ["--checksum", "-v"] + (["--dry-run"] if dry_run else [])
    return [
        ["rclone", "copy", str(site), dest, "--include", "*.html",
         "--header-upload", "Cache-Control: public, max-age=300", *base],
        ["rclone", "copy", str(site), dest, "--exclude", "*.html",
         "--header-upload", "Cache-Control: public, max-age=86400", *base],
        ["rclone", "sync", str(site), dest, *base],
    ]


def run(site: Path, target: str | None, dry_run: bool, env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    if not (site / "index.html").is_file():
        print(f"{site}/index.html not found: build the site first / 未找到 {site}/index.html：请先生成网站",
              file=sys.stderr)
        return 2
    if shutil.which("rclone") is None:
        print("rclone is not installed (Debian: apt-get install rclone) / 未安装 rclone", file=sys.stderr)
        return 2
    empty = None
    if target is None and not all(env.get(k) for k in SECRETS):
        if not dry_run:
            print(f"missing settings: {', '.join(k for k in SECRETS if not env.get(k))} / 缺少镜像设置",
                  file=sys.stderr)
            return 2
        # A dry run without secrets: compare with an empty bucket, i.e. list every file.
        empty = tempfile.mkdtemp(prefix="mirror-dry-run-")
        target = empty
        print("no bucket settings: dry run against an empty folder / 未设置存储桶：对空目录演练", flush=True)
    if target is None:
        dest = f"{REMOTE}:{env['MIRROR_BUCKET']}"
        env.update(remote_env(env))
    else:
        dest = target
    try:
        for cmd in sync_commands(site, dest, dry_run):
            code = subprocess.run(cmd, env=env, check=False).returncode
            if code != 0:
                return code
    finally:
        if empty:
            shutil.rmtree(empty, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.tools.mirror", description=__doc__.splitlines()[0])
    p.add_argument("site", type=Path, nargs="?", default=Path("site"))
    p.add_argument("--target", help="a local folder instead of the bucket / 同步到本地目录（测试用）")
    p.add_argument("--dry-run", action="store_true", help="show what would change / 只列出将要做的改动")
    args = p.parse_args(argv)
    return run(args.site, args.target, args.dry_run)


if __name__ == "__main__":
    sys.exit(main())
