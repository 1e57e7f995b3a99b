#!/usr/bin/env bash
# 巡察管理系统离线安装（由 ./dev bundle 生成的安装包内运行；说明见 docs/deploy.md“离线安装（内网环境）”）。
#   ./install.sh [--prefix /opt/xuncha] [--env-file /etc/xuncha/xuncha.env] [--debs install|check|skip]
# 不访问任何网络：先按 SHA256SUMS 校验全部文件，任何一个不符即停止、不改动本机；Debian 软件包只安装本机
# 缺少或版本较旧的（dpkg -i，从不降级）；Python 依赖只从本包的 wheels/ 安装（pip --no-index --require-hashes）。
# 每个版本装在 <prefix>/releases/<版本>/（app/ 源代码，venv/ 虚拟环境），<prefix>/current 指向在用的版本。
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/xuncha
ENV_FILE=/etc/xuncha/xuncha.env
DEBS=install

say() { printf '\033[1;31m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?}; shift 2 ;;
    --env-file) ENV_FILE=${2:?}; shift 2 ;;
    --debs) DEBS=${2:?}; shift 2 ;;
    *) sed -n '2,6p' "$0"; exit 2 ;;
  esac
done
case "$DEBS" in install|check|skip) ;; *) die "--debs 只能是 install（安装）、check（只检查不写入）或 skip（跳过）" ;; esac
NAME=$(head -1 "$HERE/VERSION" 2>/dev/null) || die "安装包不完整：缺少 VERSION 文件"

# --- 1. 校验 ---------------------------------------------------------------------------------------------
say "校验安装包 $NAME（SHA256SUMS）"
cd "$HERE"
[ -f SHA256SUMS ] || die "安装包不完整：缺少 SHA256SUMS，已停止安装"
if ! bad=$(sha256sum --check --strict --quiet SHA256SUMS 2>&1); then
  die "校验失败，安装包可能损坏或被篡改，已停止安装（本机未作任何改动）：
$bad"
fi
# A file that SHA256SUMS does not name was added after the build.
extra=$(comm -23 <(find . ! -type d ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort) \
                 <(sed 's/^[0-9a-f]*  //' SHA256SUMS | LC_ALL=C sort))
[ -z "$extra" ] || die "校验失败：安装包中有 SHA256SUMS 未列出的文件，已停止安装（本机未作任何改动）：
$extra"
say "校验通过：$(wc -l < SHA256SUMS) 个文件"

# --- 2. Debian 软件包 --------------------------------------------------------------------------------------
todo=()
for deb in debs/*.deb; do
  pkg=$(dpkg-deb -f "$deb" Package)
  ver=$(dpkg-deb -f "$deb" Version)
  have=$(dpkg-query -W -f='${Status}\t${Version}' "$pkg" 2>/dev/null || true)
  if [ "${have%%$'\t'*}" = "install ok installed" ] && dpkg --compare-versions "${have#*$'\t'}" ge "$ver"; then
    echo "    已安装 $pkg ${have#*$'\t'}（安装包中为 $ver），跳过"
  else
    echo "    待安装 $pkg $ver"
    todo+=("$deb")
  fi
done
if [ ${#todo[@]} -eq 0 ]; then
  say "Debian 软件包均已安装"
elif [ "$DEBS" = skip ]; then
  say "按 --debs skip 跳过 ${#todo[@]} 个 Debian 软件包（请自行安装）"
else
  [ "$(id -u)" = 0 ] || die "安装 Debian 软件包需要 root 权限（sudo ./install.sh），或以 --debs skip 跳过"
  if [ "$DEBS" = check ]; then
    say "检查 ${#todo[@]} 个 Debian 软件包能否安装（dpkg --no-act，不写入系统）"
    dpkg --no-act -i "${todo[@]}" >/dev/null || die "Debian 软件包无法安装（依赖不满足或与本机冲突），见上方 dpkg 的输出"
  else
    say "安装 ${#todo[@]} 个 Debian 软件包（dpkg -i）"
    DEBIAN_FRONTEND=noninteractive dpkg -i "${todo[@]}" >/dev/null || die "Debian 软件包安装失败，见上方 dpkg 的输出"
  fi
  say "Debian 软件包就绪"
fi

# --- 3. 源代码与 Python 虚拟环境 -----------------------------------------------------------------------------
PYTHON=${PYTHON:-/usr/bin/python3.11}
[ -x "$PYTHON" ] || die "找不到 $PYTHON：请先安装 Debian 软件包（不带 --debs skip 运行），或以 PYTHON= 指定 Python 3.11"
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null || die "$PYTHON 不是 Python 3.11"
RELEASE="$PREFIX/releases/$NAME"
[ ! -e "$RELEASE" ] || die "$RELEASE 已存在：该版本已安装过；如需重装，先移走该目录"
mkdir -p "$RELEASE/app"
# Built in place (a venv's scripts name their own path), removed again when a later step fails.
trap 'rm -rf "$RELEASE"; say "安装未完成，已删除 $RELEASE"' EXIT

say "解压源代码到 $RELEASE/app"
tar -xzf source.tar.gz -C "$RELEASE/app"
# The settings write their local files (var/) inside the code: created here, writable by the service account.
mkdir -p "$RELEASE/app/var"
if id xuncha >/dev/null 2>&1; then chown xuncha: "$RELEASE/app/var"; fi
say "创建虚拟环境并从 wheels/ 安装 Python 依赖（不联网）"
"$PYTHON" -m venv "$RELEASE/venv" || die "无法创建虚拟环境：请确认已安装 python3.11-venv"
# Only this bundle's wheels: no index, and none of the machine's pip settings (a find-links or an index named
# in /etc/pip.conf or PIP_* would make a missing wheel go unnoticed).
for var in $(compgen -e | grep '^PIP_' || true); do unset "$var"; done
PIP_CONFIG_FILE=/dev/null "$RELEASE/venv/bin/python" -m pip install -q --disable-pip-version-check --no-cache-dir \
  --no-index --find-links "$HERE/wheels" --require-hashes -r "$HERE/requirements.lock" \
  || die "Python 依赖安装失败（见上方 pip 的输出）"
# WeasyPrint loads Pango when imported: this finds a missing Debian library now, not at the first PDF.
"$RELEASE/venv/bin/python" -c 'import django, weasyprint, psycopg2, celery' \
  || die "Python 依赖已安装，但无法加载（多为缺少 Debian 软件包，如 Pango）"
cp VERSION "$RELEASE/VERSION"
trap - EXIT

# --- 4. 环境文件 --------------------------------------------------------------------------------------------
if [ -e "$ENV_FILE" ]; then
  say "保留现有环境文件 $ENV_FILE"
else
  mkdir -p "$(dirname "$ENV_FILE")"
  secret=$("$RELEASE/venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')
  field_key=$("$RELEASE/venv/bin/python" -c 'import secrets; print(secrets.token_hex(32))')
  (umask 077; sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret|" -e "s|^XUNCHA_FIELD_KEY=.*|XUNCHA_FIELD_KEY=$field_key|" \
     xuncha.env.example > "$ENV_FILE")
  say "已生成环境文件 $ENV_FILE（权限 600，SECRET_KEY 与个人信息加密密钥 XUNCHA_FIELD_KEY 已随机生成，请另行离线备份该密钥）：请填写 ALLOWED_HOSTS、DATABASE_URL、REDIS_URL"
fi

# --- 5. 在用版本 --------------------------------------------------------------------------------------------
if [ -L "$PREFIX/current" ]; then
  say "已安装 $NAME；在用版本仍为 $(basename "$(readlink "$PREFIX/current")")。升级步骤见 docs/deploy.md：
    停止 web/worker/beat → XUNCHA_ENV_FILE=$ENV_FILE $RELEASE/venv/bin/python $RELEASE/app/manage.py migrate
    → ln -sfn $RELEASE $PREFIX/current → collectstatic → 启动"
else
  ln -sfn "$RELEASE" "$PREFIX/current"
  say "已安装 $NAME 到 $RELEASE（$PREFIX/current 指向它）。下一步：
    export XUNCHA_ENV_FILE=$ENV_FILE
    $PREFIX/current/venv/bin/python $PREFIX/current/app/manage.py migrate --noinput
    $PREFIX/current/venv/bin/python $PREFIX/current/app/manage.py collectstatic --noinput
    $PREFIX/current/venv/bin/python $PREFIX/current/app/manage.py check --deploy"
fi
