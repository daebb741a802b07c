#!/bin/sh
# agentops-meta capture hook. Claude Code runs it on every hook event, often several at once.
# It keeps the raw stdin payload, named by its arrival time, and returns: no parsing, no database,
# no network. It always exits 0 and never prints, whatever happens (full disk, no HOME, bad input).
# Usage: agentops-capture.sh EVENT   (EVENT is the hook event name the installer put on the command line)

# Nothing may reach Claude Code: not even an error message from a redirection that fails.
exec 2>/dev/null

home="${AGENTOPS_META_HOME:-}"
if [ -z "$home" ]; then
  if [ -n "${HOME:-}" ]; then home="$HOME/.agentops-meta"; else home="${TMPDIR:-/tmp}/agentops-meta-$(id -u 2>/dev/null)"; fi
fi
spool="$home/spool"

# Observer isolation: sessions of other tools' background analysers are not ours to learn from.
# They either set AGENTOPS_META_DISABLE, or run with an entrypoint (Claude Code sets
# CLAUDE_CODE_ENTRYPOINT: "cli" interactive, "sdk-cli" for `claude -p`) the user excluded in the config.
# (The payload is drained either way, so Claude Code never writes into a closed pipe.)
[ -n "${AGENTOPS_META_DISABLE:-}" ] && { cat >/dev/null; exit 0; }
if [ -n "${CLAUDE_CODE_ENTRYPOINT:-}" ] && [ -f "$home/context/exclude-entrypoints" ]; then
  IFS= read -r excluded <"$home/context/exclude-entrypoints"
  case ",$excluded," in *",$CLAUDE_CODE_ENTRYPOINT,"*) cat >/dev/null; exit 0 ;; esac
fi

# Arrival time in nanoseconds (GNU date); BSD date has no %N, so fall back to perl's clock.
# AGENTOPS_META_CLOCK_NS lets a replay (the demo, tests) give recorded sessions their own times.
ts="${AGENTOPS_META_CLOCK_NS:-}"
[ -n "$ts" ] || ts=$(date +%s%N 2>/dev/null)
case "$ts" in
  *[!0-9]* | '') ts=$(perl -MTime::HiRes=time -e 'printf "%.0f", time()*1e9' 2>/dev/null) || ts="$(date +%s)000000000" ;;
esac

event="${1:-Unknown}"
case "$event" in *[!A-Za-z]* | '') event=Unknown ;; esac

# Files are private to the user: payloads hold prompts and tool output until ingest redacts them.
umask 077
[ -d "$spool/.tmp" ] || mkdir -p "$spool/.tmp" 2>/dev/null

# Write under .tmp, then rename: ingest only ever sees whole payloads. The pid makes the name
# unique among parallel hooks that arrive in the same nanosecond.
name="$ts-$$-$event"
if cat >"$spool/.tmp/$name" 2>/dev/null; then
  mv -f "$spool/.tmp/$name" "$spool/$name.json" 2>/dev/null || rm -f "$spool/.tmp/$name" 2>/dev/null
else
  rm -f "$spool/.tmp/$name" 2>/dev/null
fi
exit 0
